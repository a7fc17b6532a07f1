import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import ServiceLifecycle
import Storage
import Synchronization
import Testing

/// The worker's scheduling against a real SQLite store, with an executor that the test holds open
/// (the network side is covered by the delivery tests), on a clock the test advances.
@Suite("Job worker: call slots, leasing ahead and retries", .timeLimit(.minutes(1)))
struct JobWorkerTests {
    /// An executor whose calls wait until the test lets them go, and that records what ran and when
    /// on the worker's clock; its answers are `results` in turn, then successes.
    final class GatedExecutor: ActionExecutor {
        private struct State {
            var running = 0
            var mostAtOnce = 0
            var started: [Int64] = []
            var startedAt: [Int64: [Date]] = [:]
            var results: [ExecutionResult]
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
        }
        private let state: Mutex<State>
        let clock: ManualClock

        init(clock: ManualClock, results: [ExecutionResult] = []) {
            self.clock = clock
            state = Mutex(State(results: results))
        }

        func execute(_ job: LeasedJob) async -> ExecutionResult {
            state.withLock {
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
                $0.started.append(job.job.id)
                $0.startedAt[job.job.id, default: []].append(clock.now)
            }
            await withCheckedContinuation { continuation in
                let go = state.withLock { state in
                    if state.open { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if go { continuation.resume() }
            }
            return state.withLock { state in
                state.running -= 1
                return state.results.isEmpty ? .success(status: 200) : state.results.removeFirst()
            }
        }

        /// Lets every call, waiting or future, go.
        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        /// Lets the `count` oldest waiting calls go; the gate stays closed for the others.
        func letGo(_ count: Int) {
            let chosen = state.withLock { state in
                let chosen = state.waiting.prefix(count)
                state.waiting.removeFirst(chosen.count)
                return Array(chosen)
            }
            for continuation in chosen { continuation.resume() }
        }

        var waitingCount: Int { state.withLock { $0.waiting.count } }
        var running: Int { state.withLock { $0.running } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var started: [Int64] { state.withLock { $0.started } }
        /// When each call of job `id` started, on the worker's clock.
        func startedAt(_ id: Int64) -> [Date] { state.withLock { $0.startedAt[id] ?? [] } }
    }

    /// A fresh store with one event per subject, each planning one job; returns the job ids.
    static func store(in directory: TemporaryDirectory, subjects: [String]) async throws -> (SQLiteEventStore, [Int64])
    {
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        var ids: [Int64] = []
        for (index, subject) in subjects.enumerated() {
            let body =
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"p\#(index)","name":"p","size":1}}"#
            let bytes = Array(body.utf8)
            let event = NewEvent(
                receivedAt: Date(), endpoint: "main", event: try WebhookEvent(body: bytes), body: bytes,
                sourceAddress: nil)
            let result = try await store.insert(event, dedupWindow: .zero) { _, _ in
                EventPlan(jobs: [
                    NewJob(
                        rule: "tag", actionIndex: 0, kind: "set_properties", subject: subject, request: "{}",
                        effects: [])
                ])
            }
            ids += try await store.jobs(forEvent: result.eventID).map(\.id)
        }
        return (store, ids)
    }

    /// Runs `worker` in a service group; `body` shuts the group down (on a throw it is shut down
    /// for it), and the worker has returned when this does.
    static func running(_ worker: JobWorker, _ body: (ServiceGroup) async throws -> Void) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [worker], gracefulShutdownSignals: [], logger: TestDaemon.logger))
        let task = Task { try await group.run() }
        do {
            try await body(group)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        try await task.value
    }

    /// Waits for the store or the executor to reach a state; bounded.
    static func until(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 10 s")
    }

    /// Advances `clock` by `step` whenever the worker sleeps on it, until `condition` holds; bounded.
    static func advancing(_ clock: ManualClock, by step: Duration, until condition: () async throws -> Bool)
        async throws
    {
        for _ in 0..<400 {
            if try await condition() { return }
            await clock.untilSleeping()
            clock.advance(by: step)
        }
        Issue.record("condition not met within 400 steps of \(step)")
    }

    @Test("calls never exceed concurrency; as many more jobs wait leased ahead and go back unstarted at shutdown")
    func leaseAhead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, ids) = try await Self.store(in: directory, subjects: (0..<7).map { "artifact:r/s\($0)" })
        let clock = ManualClock()
        let executor = GatedExecutor(clock: clock)
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 2, drainTimeout: .seconds(7)), logger: TestDaemon.logger, clock: clock)
        try await Self.running(worker) { group in
            try await Self.until { executor.running == 2 }
            // Two calls run and two more jobs are leased, waiting for a slot; the rest stay pending.
            try await Self.until { try await store.jobs(matching: JobQuery(state: .running)).count == 4 }
            // Busy, the worker waits for a call to end (its one-second guard against a lost wake-up).
            await clock.untilSleeping(for: .seconds(1))
            #expect(try await store.jobs(matching: JobQuery(state: .pending)).count == 3)
            #expect(executor.running == 2)
            // Shut down while both calls still run: the drain lets them finish, nothing new starts.
            await group.triggerGracefulShutdown()
            await clock.untilSleeping(for: .seconds(7))
            executor.open()
        }
        #expect(executor.mostAtOnce == 2)
        // The two oldest jobs; their calls run at once, so either may start first.
        #expect(Set(executor.started) == Set(ids.prefix(2)))
        for (index, id) in ids.enumerated() {
            let job = try #require(try await store.job(id: id))
            if index < 2 {
                #expect(job.state == .done)
            } else {
                // Leased ahead or never leased: pending again, no attempt counted.
                #expect(job.state == .pending)
                #expect(job.attemptCount == 0)
            }
        }
        try await store.close()
    }

    @Test("the worker leases again only once a lease can bring half of concurrency, and then brings that many")
    func leaseInBatches() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, _) = try await Self.store(in: directory, subjects: (0..<20).map { "artifact:r/s\($0)" })
        let clock = ManualClock()
        let executor = GatedExecutor(clock: clock)
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 4, drainTimeout: .seconds(5)), logger: TestDaemon.logger, clock: clock)
        let leased = { try await store.jobs(matching: JobQuery(state: .running)).count }
        let done = { try await store.jobs(matching: JobQuery(state: .done)).count }
        try await Self.running(worker) { group in
            // Four calls and four jobs leased ahead.
            try await Self.until { executor.waitingCount == 4 }
            try await Self.until { try await leased() == 8 }
            // One call ends: a job leased ahead starts, three remain, and a lease could bring only
            // one (at most 2 × 4 leased), so none follows.
            executor.letGo(1)
            try await Self.until { try await done() == 1 }
            try await Self.until { executor.waitingCount == 4 }
            await clock.untilSleeping(for: .seconds(1))
            #expect(try await leased() == 7)
            // A second call ends: two remain leased ahead, and one lease brings two.
            executor.letGo(1)
            try await Self.until { try await done() == 2 }
            try await Self.until { try await leased() == 8 }
            await group.triggerGracefulShutdown()
            executor.open()
        }
        try await store.close()
    }

    @Test("a job leased ahead that waited half its lease is not started then, and runs once after the lease ends")
    func staleLeaseAhead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, ids) = try await Self.store(in: directory, subjects: ["artifact:r/a", "artifact:r/b"])
        let clock = ManualClock()
        let executor = GatedExecutor(clock: clock)
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 1, lease: .seconds(2)), logger: TestDaemon.logger, clock: clock)
        let done = { try await store.jobs(matching: JobQuery(state: .done)).count }
        try await Self.running(worker) { group in
            // The first call starts; the second job, leased with it, waits for the one slot.
            try await Self.until { executor.waitingCount == 1 }
            try await Self.until { try await store.jobs(matching: JobQuery(state: .running)).count == 2 }
            // The call takes 1.5 s of the 2 s lease, so the second job has only 0.5 s left when the
            // slot frees.
            clock.advance(by: .milliseconds(1500))
            executor.open()
            try await Self.until { try await done() == 1 }
            try await Self.advancing(clock, by: .milliseconds(100)) { try await done() == 2 }
            await group.triggerGracefulShutdown()
        }
        #expect(executor.started == ids)
        let second = try #require(executor.startedAt(ids[1]).first)
        // Not at 1.5 s in its first lease, but once that lease had ended (2 s), in a new one.
        #expect(second.timeIntervalSince(clock.start) >= 2)
        try await store.close()
    }

    @Test("a failed call runs again once its backoff has passed on the worker's clock; past max_age the job is dead")
    func retryOnTheClock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, ids) = try await Self.store(in: directory, subjects: ["artifact:r/a"])
        let clock = ManualClock()
        let failed = ExecutionResult(httpStatus: 503, message: "busy", failure: .retryable(retryAfter: nil))
        let executor = GatedExecutor(clock: clock, results: [failed, failed])
        executor.open()
        // Every retry waits 10 s (full jitter), and the job may be 15 s old at most: the first
        // retry fits, a second would not.
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(maxAge: .seconds(15), backoffBase: .seconds(10), backoffMax: .seconds(10)),
            logger: TestDaemon.logger, clock: clock, jitter: { 1 })
        let job = { try #require(try await store.job(id: ids[0])) }
        try await Self.running(worker) { group in
            // The first attempt failed and waits for its retry.
            try await Self.until { try await job().state == .failed }
            // Nothing runs before the backoff has passed, however often the worker wakes.
            try await Self.advancing(clock, by: .seconds(1)) { clock.uptime >= .seconds(9) }
            #expect(try await job().attemptCount == 1)
            try await Self.advancing(clock, by: .seconds(1)) { try await job().state == .dead }
            await group.triggerGracefulShutdown()
        }
        let starts = executor.startedAt(ids[0]).map { $0.timeIntervalSince(clock.start) }
        #expect(starts.count == 2)
        #expect(starts.last ?? 0 >= 10)
        // Dead after the second failure: it came 10 s after the job was created on the worker's
        // clock, and another 10 s would pass max_age.
        #expect(try await job().attemptCount == 2)
        try await store.close()
    }
}

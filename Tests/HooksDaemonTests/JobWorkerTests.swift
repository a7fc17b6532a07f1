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
/// (the network side is covered by the delivery tests).
@Suite("Job worker: call slots and leasing ahead", .timeLimit(.minutes(1)))
struct JobWorkerTests {
    /// An executor whose calls wait until the test lets them go, and that records what ran.
    final class GatedExecutor: ActionExecutor {
        private struct State {
            var running = 0
            var mostAtOnce = 0
            var started: [Int64] = []
            var startedAt: [Int64: Date] = [:]
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
        }
        private let state = Mutex(State())
        /// Calls hold this long even when open.
        let callTime: Duration

        init(open: Bool = false, callTime: Duration = .zero) {
            self.callTime = callTime
            state.withLock { $0.open = open }
        }

        func execute(_ job: LeasedJob) async -> ExecutionResult {
            state.withLock {
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
                $0.started.append(job.job.id)
                $0.startedAt[job.job.id] = Date()
            }
            await withCheckedContinuation { continuation in
                let go = state.withLock { state in
                    if state.open { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if go { continuation.resume() }
            }
            try? await Task.sleep(for: callTime)
            state.withLock { $0.running -= 1 }
            return .success(status: 200)
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
        func startedAt(_ id: Int64) -> Date? { state.withLock { $0.startedAt[id] } }
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

    static func until(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not met within 10 s")
    }

    @Test("calls never exceed concurrency; as many more jobs wait leased ahead and go back unstarted at shutdown")
    func leaseAhead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (store, ids) = try await Self.store(in: directory, subjects: (0..<7).map { "artifact:r/s\($0)" })
        let executor = GatedExecutor()
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 2, drainTimeout: .seconds(5)), logger: TestDaemon.logger)
        try await Self.running(worker) { group in
            try await Self.until { executor.running == 2 }
            // Two calls run and two more jobs are leased, waiting for a slot; the rest stay pending.
            try await Self.until { try await store.jobs(matching: JobQuery(state: .running)).count == 4 }
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await store.jobs(matching: JobQuery(state: .pending)).count == 3)
            #expect(executor.running == 2)
            // Shut down while both calls still run: the drain lets them finish, nothing new starts.
            await group.triggerGracefulShutdown()
            try await Task.sleep(for: .milliseconds(100))
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
        let executor = GatedExecutor()
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 4, drainTimeout: .seconds(5)), logger: TestDaemon.logger)
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
            try await Task.sleep(for: .milliseconds(200))
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
        // Each call takes 1.5 s of a 2 s lease, so the second job, leased with the first, has only
        // 0.5 s left when a slot frees.
        let executor = GatedExecutor(open: true, callTime: .milliseconds(1500))
        let worker = JobWorker(
            store: store, executor: executor, signal: WorkerSignal(),
            settings: .init(concurrency: 1, lease: .seconds(2)), logger: TestDaemon.logger)
        let started = Date()
        try await Self.running(worker) { group in
            try await Self.until {
                try await store.jobs(matching: JobQuery(state: .done)).count == 2
            }
            await group.triggerGracefulShutdown()
        }
        #expect(executor.started == ids)
        let second = try #require(executor.startedAt(ids[1]))
        // Not at 1.5 s in its first lease, but once that lease had ended (2 s), in a new one.
        #expect(second.timeIntervalSince(started) >= 1.95)
        try await store.close()
    }
}

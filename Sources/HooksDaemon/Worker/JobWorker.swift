import Foundation
public import Logging
public import ServiceLifecycle
public import Storage
import Synchronization

/// Runs planned jobs against Artifactory: leases due jobs, runs up to `concurrency` at once (one per
/// subject, in event order, which the store's leasing guarantees), records every attempt and moves
/// each job on by the ``RetryPolicy``.
///
/// Woken by ingest through ``WorkerSignal`` and by the earliest due retry or lease expiry; it never
/// polls when there is nothing due. On graceful shutdown it stops leasing, lets calls in flight
/// finish within `drainTimeout`, cancels the rest and hands their leases back.
///
/// Every time it reads or waits on comes from its ``DaemonClock``: lease and retry due times, a
/// job's age, the loop guard's window (which starts at the lease), wake-up timeouts and the drain
/// deadline. Call durations for the metrics are measured on the machine's clock.
public struct JobWorker: Service {
    let store: any JobQueue
    let executor: any ActionExecutor
    let signal: WorkerSignal
    let settings: DaemonConfig.Worker
    let policy: RetryPolicy
    let owner: String
    let jitter: @Sendable () -> Double
    let clock: any DaemonClock
    let metrics: DaemonMetrics
    let logger: Logger
    /// Runs the expansion jobs of `for_each` actions; without it they run as their plain query.
    let expansions: ExpansionRunner?
    /// The jobs it leases: an outbound target's worker leases that target's, the Artifactory
    /// worker the rest.
    var subjects: SubjectFilter = .all

    /// - Parameters:
    ///   - metrics: counts every attempt by outcome and HTTP status class, and times calls.
    ///   - clock: the time the worker reads and waits on; the daemon passes ``SystemClock``.
    public init(
        store: any JobQueue, executor: any ActionExecutor, signal: WorkerSignal, settings: DaemonConfig.Worker,
        metrics: DaemonMetrics = .none, logger: Logger, clock: any DaemonClock = SystemClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, expansions: ExpansionRunner? = nil
    ) {
        self.expansions = expansions
        self.clock = clock
        self.metrics = metrics
        self.store = store
        self.executor = executor
        self.signal = signal
        self.settings = settings
        self.policy = RetryPolicy(
            maxAttempts: settings.maxAttempts, maxAge: settings.maxAge, base: settings.backoffBase,
            cap: settings.backoffMax)
        self.owner =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.jitter = jitter
        self.logger = logger
    }

    /// What the job tasks are doing, shared by the loop and the tasks.
    final class InFlight: Sendable {
        /// Calls to Artifactory under way; at most `concurrency`.
        let calls = Mutex(0)
        /// Job tasks not yet ended: calling, or recording their attempt.
        let tasks = Mutex(0)
        /// The ids of the jobs those tasks run.
        let jobs = Mutex(Set<Int64>())
    }

    public func run() async throws {
        let inFlight = InFlight()
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                await loop(group: &group, inFlight: inFlight)
            } onGracefulShutdown: {
                signal.wake()
            }
            await drain(inFlight: inFlight, group: &group)
        }
        do {
            // Also hands back the jobs leased ahead and never started.
            let handedBack = try await store.releaseLeases(owner: owner)
            if handedBack > 0 {
                logger.warning("Handed back unfinished jobs at shutdown", metadata: ["jobs.count": "\(handedBack)"])
            }
        } catch {
            logger.error("Could not hand back leases; they expire on their own", metadata: ["error": "\(error)"])
        }
    }

    /// Leases jobs and starts them while fewer than `concurrency` calls are under way.
    ///
    /// Jobs are leased ahead: up to `concurrency` more than the calls under way wait in `ready`, so
    /// a finished call is followed by the next one at once instead of by a lease transaction
    /// (which queues behind ingest on the store's single writer). Recording an attempt does not
    /// hold a call slot either: the next call starts while the last one's record commits. Calls
    /// and records together stay under 2 × `concurrency`, which bounds what a crash repeats. The
    /// store still leases one job per subject at a time, so order per subject is kept.
    private func loop(group: inout DiscardingTaskGroup, inFlight: InFlight) async {
        let concurrency = settings.concurrency
        // Each with the monotonic time it was leased at: a wall-clock step neither ages nor
        // rejuvenates a lease held in this process.
        var ready: [(job: LeasedJob, leasedAt: Duration)] = []
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            // A call holds a slot until it has its answer; recording that answer holds a task. At
            // most 2 × concurrency tasks, so a crash repeats at most that many calls.
            while !ready.isEmpty, inFlight.calls.withLock({ $0 }) < concurrency,
                inFlight.tasks.withLock({ $0 }) < 2 * concurrency
            {
                let (job, leasedAt) = ready.removeFirst()
                // Waited behind slow calls for half its lease: running it now could outlast the
                // lease and meet a second run of it. Left alone, it is leased again once its lease ends.
                guard clock.uptime - leasedAt <= settings.lease / 2 else {
                    logger.warning(
                        "A job leased ahead waited half its lease for a free slot; it runs again after the lease ends",
                        metadata: ["job.id": "\(job.job.id)"])
                    continue
                }
                start(job, group: &group, inFlight: inFlight)
            }
            let tasks = inFlight.tasks.withLock { $0 }
            // Jobs leased and not finished stay under 2 × concurrency plus those being recorded; a
            // store that stops committing stops the leasing too.
            let room = 2 * concurrency - tasks - ready.count
            // A lease waits until it can bring half of `concurrency` (or nothing is left to start),
            // so one lease brings several jobs: its queries cost about as much for one job as for
            // eight.
            if room > 0, ready.isEmpty || room >= max(1, concurrency / 2) {
                do {
                    let leased = try await store.leaseJobs(
                        owner: owner, limit: room, now: clock.now, leaseDuration: settings.lease,
                        effectWindow: settings.selfCausedWindow, subjects: subjects)
                    ready += fresh(leased, ready: ready, inFlight: inFlight).map { ($0, clock.uptime) }
                    if !leased.isEmpty { continue }
                } catch {
                    logger.error("Could not lease jobs; trying again shortly", metadata: ["error": "\(error)"])
                    await signal.wait(timeout: .seconds(1), on: clock)
                    continue
                }
            }
            if !ready.isEmpty || room <= 0 {
                // Busy: a call ending wakes the loop (the timeout only guards against a lost wake-up).
                await signal.wait(timeout: .seconds(1), on: clock)
            } else {
                await signal.wait(timeout: await timeUntilNextDue(), on: clock)
            }
        }
    }

    /// The jobs of `leased` this worker does not hold already. A lease it holds looks expired when
    /// the wall clock steps forward past it, and the store then leases the job again, to this
    /// worker too: the job's call is under way (or waits in `ready`), and its result is the one
    /// recorded, so the second lease is dropped instead of running the call twice at once.
    private func fresh(
        _ leased: [LeasedJob], ready: [(job: LeasedJob, leasedAt: Duration)], inFlight: InFlight
    ) -> [LeasedJob] {
        let running = inFlight.jobs.withLock { $0 }
        let held = running.union(ready.map(\.job.job.id))
        let fresh = leased.filter { !held.contains($0.job.id) }
        if fresh.count < leased.count {
            logger.warning(
                "Leased jobs this worker runs already (did the wall clock step forward?); they run once",
                metadata: ["jobs.count": "\(leased.count - fresh.count)"])
        }
        return fresh
    }

    /// Runs one leased job in the group: its call holds a slot, recording its attempt does not.
    private func start(_ job: LeasedJob, group: inout DiscardingTaskGroup, inFlight: InFlight) {
        inFlight.calls.withLock { $0 += 1 }
        inFlight.tasks.withLock { $0 += 1 }
        inFlight.jobs.withLock { _ = $0.insert(job.job.id) }
        group.addTask {
            await run(job) {
                inFlight.calls.withLock { $0 -= 1 }
                signal.wake()
            }
            inFlight.jobs.withLock { _ = $0.remove(job.job.id) }
            inFlight.tasks.withLock { $0 -= 1 }
            signal.wake()
        }
    }

    /// How long to sleep unless woken: until the next retry or lease expiry. A job already due that
    /// could not be leased waits for an older job of its subject or for a free slot; both end with a
    /// wake-up, so the sleep is capped at a second instead of spinning. With nothing queued the
    /// worker looks again every 5 seconds (for `jobs retry` from the command line).
    private func timeUntilNextDue() async -> Duration {
        guard let due = try? await store.nextDueDate() else { return .seconds(5) }
        let milliseconds = Int64(due.timeIntervalSince(clock.now) * 1000) + 1
        return milliseconds <= 0 ? .seconds(1) : .milliseconds(min(milliseconds, 5000))
    }

    /// Waits for calls in flight up to the drain timeout, then cancels what is left.
    private func drain(inFlight: InFlight, group: inout DiscardingTaskGroup) async {
        let deadline = clock.uptime + settings.drainTimeout
        while inFlight.tasks.withLock({ $0 }) > 0 {
            let remaining = deadline - clock.uptime
            guard remaining > .zero else {
                logger.warning("Calls still in flight at the drain timeout; cancelling them")
                group.cancelAll()
                return
            }
            await signal.wait(timeout: remaining, on: clock)
        }
    }

    /// Runs one attempt and records it; `callEnded` runs as soon as the call has its answer.
    func run(_ leased: LeasedJob, callEnded: @Sendable () -> Void = {}) async {
        let started = clock.now
        let callStarted = ContinuousClock.now
        let result: ExecutionResult
        if leased.job.kind == NewJob.expansionKind, let expansions {
            switch await expansions.run(leased, owner: owner, startedAt: started, wake: { signal.wake() }) {
            case .recorded(let outcome, let status):
                callEnded()
                if outcome == "skipped" { metrics.jobSkipped(rule: leased.job.rule) }
                metrics.attempt(outcome: outcome, httpStatus: status, duration: ContinuousClock.now - callStarted)
                return
            case .leaseLost:
                callEnded()
                logger.warning(
                    "Lost the lease of an expansion before it finished; it resumes from its last page",
                    metadata: ["job.id": "\(leased.job.id)"])
                return
            case .failed(let failure): result = failure
            }
        } else {
            result = await executor.execute(leased)
        }
        let duration = ContinuousClock.now - callStarted
        callEnded()
        // Cancelled at shutdown: the lease is handed back and the attempt does not count.
        if Task.isCancelled { return }
        let attempt = leased.job.attemptCount
        // Built only for a line that is logged: a successful job logs at debug level.
        var extra: Logger.Metadata = [:]
        func metadata() -> Logger.Metadata {
            var metadata: Logger.Metadata = [
                "job.id": "\(leased.job.id)", "event.id": "\(leased.job.eventID)", "rule.name": "\(leased.job.rule)",
                "job.kind": "\(leased.job.kind)", "job.attempt": "\(attempt)",
            ]
            if let status = result.httpStatus { metadata["api.status"] = "\(status)" }
            return metadata.merging(extra) { $1 }
        }
        let next: JobAttempt.Next
        if let failure = result.failure {
            let age = Duration.milliseconds(Int64(clock.now.timeIntervalSince(leased.job.createdAt) * 1000))
            switch policy.decide(failure, attempt: attempt, age: age, jitter: jitter()) {
            case .retry(let delay):
                next = .retry(at: clock.now.addingTimeInterval(delay.timeInterval))
                extra["job.retry_in"] = "\(delay)"
                // The kind says whom the call went to: Artifactory, or an outbound target (http).
                logger.warning(
                    "Call failed; will retry",
                    metadata: metadata().merging(["error": "\(result.message ?? "")"]) { $1 })
            case .dead(let reason):
                next = .dead
                logger.error(
                    "Job is dead; `artifactory-hooks jobs retry` runs it again",
                    metadata: metadata().merging(["error": "\(result.message ?? "")", "job.reason": "\(reason)"]) { $1 }
                )
            }
        } else if result.skipped {
            next = .skipped
            logger.debug("Job skipped: its guard did not hold", metadata: metadata())
            metrics.jobSkipped(rule: leased.job.rule)
        } else {
            next = .done
            logger.debug("Job done", metadata: metadata())
        }
        let outcome: String
        switch next {
        case .done: outcome = "success"
        case .retry: outcome = "retry"
        case .dead: outcome = "dead"
        case .skipped: outcome = "skipped"
        }
        metrics.attempt(outcome: outcome, httpStatus: result.httpStatus, duration: duration)
        do {
            let recorded = try await store.finishAttempt(
                JobAttempt(
                    jobID: leased.job.id, startedAt: started, duration: duration, httpStatus: result.httpStatus,
                    message: result.message, next: next),
                owner: owner)
            if !recorded {
                logger.warning(
                    "Lost the lease of a job before it finished; another worker owns it now", metadata: metadata())
            }
        } catch {
            logger.error(
                "Could not record a job attempt; the job runs again after its lease",
                metadata: metadata().merging(["error": "\(error)"]) { $1 })
        }
    }
}

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
public struct JobWorker: Service {
    let store: any EventStore
    let executor: any ActionExecutor
    let signal: WorkerSignal
    let settings: DaemonConfig.Worker
    let policy: RetryPolicy
    let owner: String
    let jitter: @Sendable () -> Double
    let metrics: DaemonMetrics
    let logger: Logger

    /// - Parameter metrics: counts every attempt by outcome and HTTP status class, and times calls.
    public init(
        store: any EventStore, executor: any ActionExecutor, signal: WorkerSignal, settings: DaemonConfig.Worker,
        metrics: DaemonMetrics = .none, logger: Logger,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
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

    /// Jobs in flight, shared by the loop and the job tasks.
    final class InFlight: Sendable {
        let count = Mutex(0)
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
            let handedBack = try await store.releaseLeases(owner: owner)
            if handedBack > 0 {
                logger.warning("Handed back unfinished jobs at shutdown", metadata: ["jobs.count": "\(handedBack)"])
            }
        } catch {
            logger.error("Could not hand back leases; they expire on their own", metadata: ["error": "\(error)"])
        }
    }

    private func loop(group: inout DiscardingTaskGroup, inFlight: InFlight) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let free = settings.concurrency - inFlight.count.withLock { $0 }
            var leased: [LeasedJob] = []
            if free > 0 {
                do {
                    leased = try await store.leaseJobs(
                        owner: owner, limit: free, now: Date(), leaseDuration: settings.lease,
                        effectWindow: settings.selfCausedWindow)
                } catch {
                    logger.error("Could not lease jobs; trying again shortly", metadata: ["error": "\(error)"])
                    await signal.wait(timeout: .seconds(1))
                    continue
                }
            }
            for job in leased {
                inFlight.count.withLock { $0 += 1 }
                group.addTask {
                    await run(job)
                    inFlight.count.withLock { $0 -= 1 }
                    signal.wake()
                }
            }
            if !leased.isEmpty, leased.count == free { continue }
            await signal.wait(timeout: await timeUntilNextDue())
        }
    }

    /// How long to sleep unless woken: until the next retry or lease expiry. A job already due that
    /// could not be leased waits for an older job of its subject or for a free slot; both end with a
    /// wake-up, so the sleep is capped at a second instead of spinning. With nothing queued the
    /// worker looks again every 5 seconds (for `jobs retry` from the command line).
    private func timeUntilNextDue() async -> Duration {
        guard let due = try? await store.nextDueDate() else { return .seconds(5) }
        let milliseconds = Int64(due.timeIntervalSinceNow * 1000) + 1
        return milliseconds <= 0 ? .seconds(1) : .milliseconds(min(milliseconds, 5000))
    }

    /// Waits for calls in flight up to the drain timeout, then cancels what is left.
    private func drain(inFlight: InFlight, group: inout DiscardingTaskGroup) async {
        let deadline = ContinuousClock.now + settings.drainTimeout
        while inFlight.count.withLock({ $0 }) > 0 {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                logger.warning("Calls still in flight at the drain timeout; cancelling them")
                group.cancelAll()
                return
            }
            await signal.wait(timeout: remaining)
        }
    }

    /// Runs one attempt and records it.
    func run(_ leased: LeasedJob) async {
        let started = Date()
        let clock = ContinuousClock.now
        let result = await executor.execute(leased)
        let duration = ContinuousClock.now - clock
        // Cancelled at shutdown: the lease is handed back and the attempt does not count.
        if Task.isCancelled { return }
        let attempt = leased.job.attemptCount
        var metadata: Logger.Metadata = [
            "job.id": "\(leased.job.id)", "event.id": "\(leased.job.eventID)", "rule.name": "\(leased.job.rule)",
            "job.kind": "\(leased.job.kind)", "job.attempt": "\(attempt)",
        ]
        if let status = result.httpStatus { metadata["api.status"] = "\(status)" }
        let next: JobAttempt.Next
        if let failure = result.failure {
            let age = Duration.milliseconds(Int64(Date().timeIntervalSince(leased.job.createdAt) * 1000))
            switch policy.decide(failure, attempt: attempt, age: age, jitter: jitter()) {
            case .retry(let delay):
                next = .retry(
                    at: Date().addingTimeInterval(
                        Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18))
                metadata["job.retry_in"] = "\(delay)"
                logger.warning(
                    "Artifactory call failed; will retry",
                    metadata: metadata.merging(["error": "\(result.message ?? "")"]) { $1 })
            case .dead(let reason):
                next = .dead
                logger.error(
                    "Job is dead; `artifactory-hooks jobs retry` runs it again",
                    metadata: metadata.merging(["error": "\(result.message ?? "")", "job.reason": "\(reason)"]) { $1 })
            }
        } else {
            next = .done
            logger.debug("Job done", metadata: metadata)
        }
        let outcome: String
        switch next {
        case .done: outcome = "success"
        case .retry: outcome = "retry"
        case .dead: outcome = "dead"
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
                    "Lost the lease of a job before it finished; another worker owns it now", metadata: metadata)
            }
        } catch {
            logger.error("Could not record a job attempt; the job runs again after its lease", metadata: metadata)
        }
    }
}

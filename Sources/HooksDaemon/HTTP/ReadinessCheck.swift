import Foundation
import Logging
import Storage

/// Answers `/readyz` from at most one store write per `reuseFor`, however many requests ask.
///
/// The check is a real write (the store must take writes to be ready), and `/readyz` is also served
/// on the webhook listener, which anyone who can reach it may call: without this, each request was a
/// transaction of its own beside the deliveries. Requests during a check share its answer; the
/// answer is then reused for `reuseFor` (one second), well under any probe's period.
///
/// A failed check says why in the database's words ("database or disk is full", "attempt to write
/// a readonly database", PostgreSQL's connection error), so `/readyz` tells the operator what to fix.
actor ReadinessCheck {
    /// The answer of one check.
    enum Answer: Equatable {
        case ready
        /// The store refused the write; `reason` is safe to show (``StorageError/reason``).
        case notReady(reason: String)
    }

    private let store: any StoreMaintenance
    private let reuseFor: Duration
    private let logger: Logger
    private var last: (at: ContinuousClock.Instant, answer: Answer)?
    private var running: Task<Answer, Never>?

    init(store: any StoreMaintenance, reuseFor: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.reuseFor = reuseFor
        self.logger = logger
    }

    /// Whether the store takes writes, as of at most `reuseFor` ago.
    func check() async -> Answer {
        if let last, ContinuousClock.now - last.at < reuseFor { return last.answer }
        if let running { return await running.value }
        let check = Task { [store, logger] () -> Answer in
            do {
                try await store.checkWritable()
                return .ready
            } catch {
                // Once per check, not once per request.
                logger.warning(
                    "Readiness check failed: the store does not take writes", metadata: ["error": "\(error)"])
                let reason = (error as? StorageError)?.reason ?? "the write failed"
                return .notReady(reason: reason)
            }
        }
        running = check
        let answer = await check.value
        last = (ContinuousClock.now, answer)
        running = nil
        return answer
    }
}

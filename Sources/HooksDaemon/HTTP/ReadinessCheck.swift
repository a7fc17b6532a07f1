import Foundation
import Logging
import Storage

/// Answers `/readyz` from at most one store write per `reuseFor`, however many requests ask.
///
/// The check is a real write (the store must take writes to be ready), and `/readyz` is also served
/// on the webhook listener, which anyone who can reach it may call: without this, each request was a
/// transaction of its own beside the deliveries. Requests during a check share its answer; the
/// answer is then reused for `reuseFor` (one second), well under any probe's period.
actor ReadinessCheck {
    private let store: any StoreMaintenance
    private let reuseFor: Duration
    private let logger: Logger
    private var last: (at: ContinuousClock.Instant, ready: Bool)?
    private var running: Task<Bool, Never>?

    init(store: any StoreMaintenance, reuseFor: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.reuseFor = reuseFor
        self.logger = logger
    }

    /// Whether the store takes writes, as of at most `reuseFor` ago.
    func isReady() async -> Bool {
        if let last, ContinuousClock.now - last.at < reuseFor { return last.ready }
        if let running { return await running.value }
        let check = Task { [store, logger] in
            do {
                try await store.checkWritable()
                return true
            } catch {
                // Once per check, not once per request.
                logger.warning(
                    "Readiness check failed: the store does not take writes", metadata: ["error": "\(error)"])
                return false
            }
        }
        running = check
        let ready = await check.value
        last = (ContinuousClock.now, ready)
        running = nil
        return ready
    }
}

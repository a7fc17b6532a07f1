import CoreMetrics

extension DaemonMetrics {
    /// How a troubleshooting record read by catch-up ended.
    public enum CatchUpOutcome: String, Sendable, CaseIterable {
        /// Stored as a new event (planned, deferred or ignored as a delivery would be).
        case accepted
        /// Its body had arrived already: stored as a duplicate, planned nothing.
        case duplicate
        /// Artifactory's delivery succeeded (`debug` mode records successes too): not read.
        case delivered
        /// Another record of the same event (a retry) in the same run: not read again.
        case retry
        /// Not an event (its payload is not JSON, no event type, …) or larger than the limit.
        case refused
    }

    /// Counts one record read by catch-up: `catch_up_records_total{endpoint, outcome}`.
    public func caughtUp(endpoint: String, outcome: CatchUpOutcome, count: Int = 1) {
        Counter(
            label: Self.prefix + "catch_up_records_total",
            dimensions: [
                ("endpoint", endpoints.contains(endpoint) ? endpoint : "unknown"), ("outcome", outcome.rawValue),
            ],
            factory: factory
        ).increment(by: Int64(count))
    }

    /// Counts a catch-up run of one subscription that could not read Artifactory's store:
    /// `catch_up_failures_total{reason}` (`unavailable`, `forbidden`, `unauthorized`, `error`).
    public func catchUpFailed(reason: String) {
        Counter(label: Self.prefix + "catch_up_failures_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }
}

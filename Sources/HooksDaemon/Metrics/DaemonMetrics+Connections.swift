import CoreMetrics

/// The listeners' connections: `connections_open{listener}`, `connections_shed_total{listener,
/// reason}` and `accept_errors_total{listener}`; `listener` is `ingest` or `admin`.
extension DaemonMetrics {
    /// Why a connection was closed at a listener's cap.
    enum ConnectionShedReason: String, Sendable {
        /// An idle connection closed to make room for a new one.
        case evicted
        /// A new connection closed at once: every connection held was busy.
        case refused
    }

    /// Sets `connections_open{listener}`.
    func connectionsChanged(listener: String, open: Int) {
        Meter(label: Self.prefix + "connections_open", dimensions: [("listener", listener)], factory: factory)
            .set(open)
    }

    /// Counts connections closed at the cap: `connections_shed_total{listener, reason}`.
    func connectionShed(listener: String, reason: ConnectionShedReason, count: Int = 1) {
        Counter(
            label: Self.prefix + "connections_shed_total",
            dimensions: [("listener", listener), ("reason", reason.rawValue)], factory: factory
        ).increment(by: count)
    }

    /// Counts failed accepts (out of descriptors, most often): `accept_errors_total{listener}`.
    func acceptFailed(listener: String, count: Int = 1) {
        Counter(label: Self.prefix + "accept_errors_total", dimensions: [("listener", listener)], factory: factory)
            .increment(by: count)
    }
}

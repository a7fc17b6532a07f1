/// How many client connections each listener holds at once (`ingest.max_connections`,
/// `admin.max_connections`), after fitting them under the descriptor limit.
package struct ConnectionCaps: Sendable, Equatable {
    /// The webhook listener's cap.
    package var ingest: Int
    /// The admin listener's cap; `nil` without an admin listener.
    package var admin: Int?

    package init(ingest: Int, admin: Int?) {
        self.ingest = ingest
        self.admin = admin
    }

    /// The caps as configured when together they fit in `limit.forConnections`; otherwise both
    /// lowered in proportion (each at least 1), so that a flood of connections can never take the
    /// descriptors the store, the worker and the other listener need.
    package func fitting(_ limit: DescriptorLimit) -> ConnectionCaps {
        let total = ingest + (admin ?? 0)
        let room = limit.forConnections
        guard total > room else { return self }
        let ingestShare = max(1, ingest * room / total)
        return ConnectionCaps(ingest: ingestShare, admin: admin.map { _ in max(1, room - ingestShare) })
    }
}

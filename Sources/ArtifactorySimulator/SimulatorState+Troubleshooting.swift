extension SimulatorState {
    /// Whether the webhook troubleshooting stream answers, and how it refuses when it does not.
    public enum TroubleshootingStore: Sendable, Hashable {
        /// Records are kept and streamed (SaaS, or self-hosted with Redis).
        case available
        /// A self-hosted platform without Redis keeps no troubleshooting data: 404 (the answer
        /// JFrog does not document; the simulator's choice, see docs/simulator.md).
        case missing
        /// The caller lacks the Manage Webhooks permission: 403.
        case forbidden
    }

    /// How many records the store keeps, as Artifactory does: the oldest go first.
    public static let troubleshootingLimit = 10_000

    /// Records a delivery attempt, keeping the newest ``troubleshootingLimit``.
    public func recordDelivery(_ record: SimulatedDeliveryRecord) {
        withStorage { $0.recordDelivery(record) }
    }

    /// The records kept, oldest first.
    public var troubleshootingRecords: [SimulatedDeliveryRecord] {
        withStorage { $0.troubleshooting }
    }

    /// Whether the troubleshooting stream answers (``TroubleshootingStore/available`` at start).
    public var troubleshootingStore: TroubleshootingStore {
        get { withStorage { $0.troubleshootingStore } }
        set { withStorage { $0.troubleshootingStore = newValue } }
    }
}

extension SimulatorStorage {
    mutating func recordDelivery(_ record: SimulatedDeliveryRecord) {
        let index = troubleshooting.lastIndex { $0.timestamp <= record.timestamp }.map { $0 + 1 } ?? 0
        troubleshooting.insert(record, at: index)
        if troubleshooting.count > SimulatorState.troubleshootingLimit {
            troubleshooting.removeFirst(troubleshooting.count - SimulatorState.troubleshootingLimit)
        }
    }
}

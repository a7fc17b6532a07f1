import Synchronization

/// Whether the store is over `store.max_bytes`, as last sampled by ``StoreSizeService``.
///
/// Ingest reads ``isFull`` for every delivery (a lock, no I/O) and refuses with 503 while it
/// holds; `/readyz` reports ``refusal``. It clears by itself when a sample finds the store under
/// the cap again (retention or `events prune` freed space).
public final class StoreCapacity: Sendable {
    /// A change of the state, to log once per episode.
    public enum Transition: Sendable, Equatable {
        /// The store went over the cap: deliveries are refused from now on.
        case filled(bytes: Int)
        /// The store is under the cap again: deliveries are accepted.
        case freed(bytes: Int)
    }

    /// `store.max_bytes`; `nil` when there is no cap.
    public let maxBytes: Int?
    private let state = Mutex<(bytes: Int?, full: Bool)>((nil, false))

    public init(maxBytes: Int?) {
        self.maxBytes = maxBytes
    }

    /// Whether deliveries are refused now.
    public var isFull: Bool { state.withLock { $0.full } }

    /// The size of the last sample, when there was one.
    public var bytes: Int? { state.withLock { $0.bytes } }

    /// Records a sample of the store's size; returns the change it made, if any.
    public func refresh(bytes: Int) -> Transition? {
        let full = maxBytes.map { bytes >= $0 } ?? false
        return state.withLock { state in
            defer { state = (bytes, full) }
            guard full != state.full else { return nil }
            return full ? .filled(bytes: bytes) : .freed(bytes: bytes)
        }
    }

    /// What `/readyz` says while the store is full; `nil` otherwise.
    public var refusal: String? {
        let (bytes, full) = state.withLock { ($0.bytes, $0.full) }
        guard full, let bytes, let maxBytes else { return nil }
        return
            "the event store is over store.max_bytes (\(bytes) bytes used of \(maxBytes)); deliveries are refused until retention or `events prune` frees space, or the cap is raised"
    }
}

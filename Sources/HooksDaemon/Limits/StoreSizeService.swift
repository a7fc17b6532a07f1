public import Logging
public import ServiceLifecycle
public import Storage

/// Samples the store's size every `interval`: the `store_size_bytes` gauge, and ``StoreCapacity``
/// for `store.max_bytes`.
///
/// The size is read here, not per delivery: one cheap query a second (SQLite reads its file
/// header; PostgreSQL its relation sizes) whatever the delivery rate.
public struct StoreSizeService: Service {
    let store: any StoreMaintenance
    let capacity: StoreCapacity
    let metrics: DaemonMetrics
    let interval: Duration
    let logger: Logger

    /// - Parameter interval: how often the size is read. Default 1 second.
    public init(
        store: any StoreMaintenance, capacity: StoreCapacity, metrics: DaemonMetrics, interval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.store = store
        self.capacity = capacity
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await sample()
            } catch {
                logger.error("Could not read the store's size; trying again", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Reads the size once and records it; logs when the store goes over the cap or back under.
    func sample() async throws {
        let bytes = try await store.storeSize()
        let transition = capacity.refresh(bytes: bytes)
        metrics.setStoreSize(bytes: bytes, full: capacity.isFull)
        guard let maxBytes = capacity.maxBytes else { return }
        switch transition {
        case .filled(let bytes):
            logger.error(
                "The event store is over store.max_bytes: deliveries are refused (503) until retention frees space",
                metadata: ["store.bytes": "\(bytes)", "store.max_bytes": "\(maxBytes)"])
        case .freed(let bytes):
            logger.info(
                "The event store is under store.max_bytes again: deliveries are accepted",
                metadata: ["store.bytes": "\(bytes)", "store.max_bytes": "\(maxBytes)"])
        case nil:
            break
        }
    }
}

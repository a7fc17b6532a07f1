import Foundation
public import Logging
public import ServiceLifecycle
public import Storage

/// Deletes settled events older than `store.retention`, in small batches, then gives the space
/// back to the file system.
///
/// A pass runs at start and then every `interval`. Each batch is one short transaction of at most
/// `batchSize` events, followed by a short pause, so ingest's commits interleave with it. Dead
/// letters, and events with jobs still to run or still deferred, are kept (the store decides).
/// The cutoff, the interval and the pause are read from and waited on its ``DaemonClock``.
public struct RetentionService: Service {
    let store: any StoreMaintenance
    let retention: DaemonConfig.Retention
    let metrics: DaemonMetrics
    let logger: Logger
    let clock: any DaemonClock

    /// - Parameter clock: the time the cutoff is counted from and the waits run on; the daemon
    ///   passes ``SystemClock``.
    public init(
        store: any StoreMaintenance, retention: DaemonConfig.Retention, metrics: DaemonMetrics, logger: Logger,
        clock: any DaemonClock = SystemClock()
    ) {
        self.store = store
        self.retention = retention
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        guard let maxAge = retention.maxAge else {
            // Off: stay until shutdown, as a service that returned early would stop the daemon.
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await prunePass(receivedBefore: clock.now.addingTimeInterval(-maxAge.timeInterval))
            } catch is CancellationError {
                return
            } catch {
                logger.error("Retention pass failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: retention.interval) }
            } catch {
                return
            }
        }
    }

    /// Deletes every settled event received before `cutoff`, batch by batch, then reclaims the
    /// space; returns what went (`events prune` runs the same pass).
    @discardableResult
    public func prunePass(receivedBefore cutoff: Date) async throws -> PruneCount {
        var total = PruneCount()
        while !Task.isShuttingDownGracefully {
            let batch = try await store.pruneEvents(receivedBefore: cutoff, limit: retention.batchSize)
            total = total + batch
            metrics.pruned(batch)
            if batch.events < retention.batchSize { break }
            try await clock.sleep(for: retention.pause)
        }
        guard total.events > 0 else {
            logger.debug("Retention pass: nothing to prune")
            return total
        }
        let reclaimed = try await store.reclaimSpace()
        logger.info(
            "Pruned old events",
            metadata: [
                "events.count": "\(total.events)", "jobs.count": "\(total.jobs)",
                "attempts.count": "\(total.attempts)", "store.reclaimed_bytes": "\(reclaimed)",
                "store.cutoff": "\(EventTable.timestamp(cutoff))",
            ])
        return total
    }
}

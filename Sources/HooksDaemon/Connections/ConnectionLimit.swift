import Logging
import NIOCore
import Synchronization

/// The connections one listener holds, and the cap on them.
///
/// Past the cap a new connection takes the place of the connection idle longest (one with no
/// request under way: connected and silent, between requests, or still sending its request head);
/// when every connection has a request under way, the new one is closed at once. So idle
/// connections, however many, never lock out a delivery, and a client can hold a busy connection
/// only as long as `ingest.body_timeout` and the handler allow.
final class ConnectionLimit: Sendable {
    /// The listener's name in metrics and logs: `ingest` or `admin`.
    let listener: String
    /// The most connections held at once.
    let cap: Int
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let throttle = LogThrottle(interval: .seconds(10))
    private let table = Mutex(Table())

    private struct Table {
        var nextID: UInt64 = 0
        var open: [UInt64: Entry] = [:]
    }

    private struct Entry {
        let channel: any Channel
        /// When the connection last had no request under way; `nil` while one is.
        var idleSince: ContinuousClock.Instant?
    }

    /// What became of a new connection.
    enum Admission: Equatable {
        /// Held, under this id.
        case held(UInt64)
        /// Closed at once: every connection held has a request under way.
        case refused
    }

    init(listener: String, cap: Int, metrics: DaemonMetrics, logger: Logger) {
        self.listener = listener
        self.cap = cap
        self.metrics = metrics
        self.logger = logger
        metrics.connectionsChanged(listener: listener, open: 0)
        metrics.connectionShed(listener: listener, reason: .refused, count: 0)
        metrics.connectionShed(listener: listener, reason: .evicted, count: 0)
    }

    /// A handler for one new connection's pipeline (after HTTP decoding).
    func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(limit: self) }

    /// Holds `channel` (idle until its first request head), making room by closing the connection
    /// idle longest when at the cap.
    func admit(_ channel: any Channel, now: ContinuousClock.Instant = .now) -> Admission {
        let (admission, evicted, open): (Admission, (any Channel)?, Int) = table.withLock { table in
            var evicted: (any Channel)?
            if table.open.count >= cap {
                let idle = table.open.compactMap { id, entry in entry.idleSince.map { (id: id, since: $0) } }
                guard let longestIdle = idle.min(by: { $0.since < $1.since }) else {
                    return (.refused, nil, table.open.count)
                }
                evicted = table.open.removeValue(forKey: longestIdle.id)?.channel
            }
            let id = table.nextID
            table.nextID += 1
            table.open[id] = Entry(channel: channel, idleSince: now)
            return (.held(id), evicted, table.open.count)
        }
        metrics.connectionsChanged(listener: listener, open: open)
        if let evicted {
            evicted.close(promise: nil)
            metrics.connectionShed(listener: listener, reason: .evicted)
            warnAtCap(.evicted)
        }
        if admission == .refused {
            metrics.connectionShed(listener: listener, reason: .refused)
            warnAtCap(.refused)
        }
        return admission
    }

    /// Marks connection `id` busy (a request head arrived) or idle (its last response went out).
    func setBusy(_ id: UInt64, _ busy: Bool, now: ContinuousClock.Instant = .now) {
        table.withLock { table in
            table.open[id]?.idleSince = busy ? nil : now
        }
    }

    /// Forgets connection `id` once it closed.
    func release(_ id: UInt64) {
        let open = table.withLock { table in
            table.open[id] = nil
            return table.open.count
        }
        metrics.connectionsChanged(listener: listener, open: open)
    }

    /// Connections held now.
    var openCount: Int { table.withLock { $0.open.count } }

    private func warnAtCap(_ reason: DaemonMetrics.ConnectionShedReason) {
        guard let suppressed = throttle.admit(reason.rawValue) else { return }
        logger.warning(
            reason == .evicted
                ? "Connection cap reached; closed the connection idle longest to make room"
                : "Connection cap reached with every connection busy; closed a new connection",
            metadata: [
                "http.listener": .string(listener), "connections.max": .stringConvertible(cap),
                "log.suppressed": .stringConvertible(suppressed),
            ])
    }
}

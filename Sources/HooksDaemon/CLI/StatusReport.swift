public import Foundation
public import Storage

/// What `artifactory-hooks status` prints: the store's summary, the rules in the configured
/// directory and the store's size on disk, as one screen of text or as JSON.
public struct StatusReport: Sendable {
    /// The store's summary of the last hour.
    public var store: StoreStatus
    /// When the summary was taken.
    public var now: Date
    /// The period "events" covers (one hour).
    public var period: Duration
    /// Enabled rules in the configured directory; `nil` without a rules directory.
    public var rulesLoaded: Int?
    /// Why the rules did not load (the first problem and the count), when they did not.
    public var rulesError: String?
    /// The database and its write-ahead log, in bytes; `nil` when not a local file.
    public var storeBytes: Int64?

    public init(
        store: StoreStatus, now: Date, period: Duration, rulesLoaded: Int?, rulesError: String?, storeBytes: Int64?
    ) {
        self.store = store
        self.now = now
        self.period = period
        self.rulesLoaded = rulesLoaded
        self.rulesError = rulesError
        self.storeBytes = storeBytes
    }

    /// The size of an SQLite database with its `-wal` and `-shm` files, or `nil` when it is missing.
    public static func sqliteBytes(path: String) -> Int64? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { return nil }
        return ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            let size = (try? manager.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber
            return total + (size?.int64Value ?? 0)
        }
    }

    /// Age of the oldest unfinished job, in whole seconds.
    var oldestUnfinishedAge: Int? {
        store.oldestUnfinishedJob.map { max(0, Int(now.timeIntervalSince($0.createdAt))) }
    }

    /// One screen for a person.
    public var text: String {
        let hours = period.components.seconds / 3600
        var lines: [String] = []
        let received = store.eventsByKind.values.reduce(0, +)
        lines.append(
            "Events, last \(hours == 1 ? "hour" : "\(hours) hours"): \(received) (+ \(store.duplicates) duplicates)")
        for (kind, count) in store.eventsByKind.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            let shown = EventTable.kindText(kind)
            lines.append("  \(shown.padding(toLength: 40, withPad: " ", startingAt: 0)) \(count)")
        }
        lines.append("Events stored: \(store.totalEvents)")
        lines.append(
            "Jobs: "
                + StoredJob.State.allCases.map { "\($0.rawValue) \(store.jobsByState[$0, default: 0])" }
                .joined(separator: ", "))
        if let job = store.oldestUnfinishedJob, let age = oldestUnfinishedAge {
            lines.append(
                "Oldest unfinished job: \(job.id) (\(job.state.rawValue), \(Self.age(age)) old, rule \(job.rule))")
        } else {
            lines.append("Oldest unfinished job: none")
        }
        lines.append(
            "Dead letters: \(store.deadLetters)"
                + (store.deadLetters > 0 ? " (artifactory-hooks jobs list --state dead; jobs retry --dead)" : ""))
        lines.append(
            "Deferred events: \(store.deferredEvents)"
                + (store.deferredEvents > 0 ? " (backpressure: planned once the job backlog shrinks)" : ""))
        if let rulesError {
            lines.append("Rules: not loadable: \(EventTable.shown(rulesError))")
        } else {
            lines.append("Rules: " + (rulesLoaded.map { "\($0) enabled" } ?? "none (no rules directory)"))
        }
        lines.append("Store size: " + (storeBytes.map(Self.bytes) ?? "unknown"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as JSON, for scripts.
    public func json() throws -> String {
        var object: [String: Any] = [
            "period_seconds": period.components.seconds,
            "events_by_kind": store.eventsByKind,
            "duplicates": store.duplicates,
            "events_total": store.totalEvents,
            "jobs_by_state": Dictionary(
                uniqueKeysWithValues: StoredJob.State.allCases.map { ($0.rawValue, store.jobsByState[$0, default: 0]) }),
            "dead_letters": store.deadLetters,
            "deferred_events": store.deferredEvents,
        ]
        if let job = store.oldestUnfinishedJob, let age = oldestUnfinishedAge {
            object["oldest_unfinished_job"] = ["id": job.id, "state": job.state.rawValue, "age_seconds": age]
        }
        object["rules_loaded"] = rulesLoaded
        object["rules_error"] = rulesError
        object["store_bytes"] = storeBytes
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `42s`, `5m 3s`, `2h 10m`, `3d 4h`.
    static func age(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }

    /// `512 B`, `3.2 MiB`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}

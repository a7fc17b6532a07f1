import Synchronization

/// Lets a repeated log line through at most once per interval for each key, and counts the ones it
/// held back, so a flood of forged deliveries cannot flood the journal.
public final class LogThrottle: Sendable {
    /// The shortest time between two lines of one key.
    public let interval: Duration
    private let lastLogged: Mutex<[String: Entry]>

    struct Entry {
        var at: ContinuousClock.Instant
        var suppressed: Int
    }

    public init(interval: Duration) {
        self.interval = interval
        self.lastLogged = Mutex([:])
    }

    /// Whether a line of `key` may be logged at `now`: `nil` when it is held back, otherwise how many
    /// lines of that key were held back since the last one logged (report it with the line).
    /// Keys must come from a small fixed set (reason codes), never from request data.
    public func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        lastLogged.withLock { entries in
            if var entry = entries[key], now - entry.at < interval {
                entry.suppressed += 1
                entries[key] = entry
                return nil
            }
            let suppressed = entries[key]?.suppressed ?? 0
            entries[key] = Entry(at: now, suppressed: 0)
            return suppressed
        }
    }
}

/// A planned action's claim on a throttle window (`once_within:` in a rule file): within `window`
/// of the claim that opened it, another claim on the same scope and key is refused, and its job is
/// recorded on its event as throttled instead of being written.
///
/// Planning makes it; the store decides it, in the transaction that writes the event's jobs, from the `throttles` table
/// (one row per scope and key with the end of its window), so the decision survives restarts and,
/// with a shared PostgreSQL database, holds across daemons.
public struct ThrottleClaim: Sendable, Hashable, CustomStringConvertible {
    /// What the window belongs to: the rule's name for a rule's `once_within:`, `RULE#INDEX` for an
    /// action's (its position in `do:`).
    public var scope: String
    /// The rendered `key:` (by default the event's subject).
    public var key: String
    /// How long a window stays open once claimed.
    public var window: Duration

    public init(scope: String, key: String, window: Duration) {
        self.scope = scope
        self.key = key
        self.window = window
    }

    /// The key as the `throttles` table holds it: the key itself up to ``longestStoredKey`` UTF-8
    /// bytes, else `sha256:` and the hex digest of its bytes. A key comes from event fields, and
    /// PostgreSQL refuses an index entry past about 2.7 kB: a long key must not fail the event.
    public var storedKey: String {
        key.utf8.count <= Self.longestStoredKey ? key : "sha256:" + Digest.hex(Digest.sha256(Array(key.utf8)))
    }

    /// The longest key stored as it is.
    public static let longestStoredKey = 256

    /// `once within 10m per key "build:app#7"`, as `events show` and `rules test` print it.
    public var description: String { "once within \(Self.format(window)) per key \"\(key)\"" }

    /// `window` as a rule file writes it: `90s`, `10m`, `2h`, `1d`.
    public static func format(_ window: Duration) -> String {
        let seconds = window.components.seconds
        if seconds > 0, seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds > 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}

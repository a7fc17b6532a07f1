import Foundation

/// Both engines store times as integer microseconds since 1970 (UTC) and durations as integer
/// microseconds: one encoding, written once.
extension EventStore {
    /// `date` in microseconds since 1970, rounded.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// `duration` in whole microseconds.
    static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }

    /// The date `microseconds` after 1970.
    static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}

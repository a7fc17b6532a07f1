import Foundation

/// UTC timestamps formatted without a formatter object (pure and allocation-light).
enum UTCTimestamp {
    /// ISO 8601 to the second: `2026-11-29T10:00:00Z` (`{{ now }}`).
    static func iso8601(_ date: Date) -> String {
        let parts = Parts(date)
        return "\(parts.date)T\(parts.time)Z"
    }

    /// The form JFrog's Build Promotion documents for `timestamp`, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`:
    /// `2026-11-29T10:00:00.000+0000`.
    static func promotion(_ date: Date) -> String {
        let parts = Parts(date)
        return "\(parts.date)T\(parts.time).\(pad(parts.milliseconds, 3))+0000"
    }

    private struct Parts {
        var date: String
        var time: String
        var milliseconds: Int

        init(_ date: Date) {
            let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            let (days, dayMilliseconds) = Self.floorDivide(totalMilliseconds, 86_400_000)
            let seconds = Int(dayMilliseconds / 1000)
            milliseconds = Int(dayMilliseconds % 1000)
            // Howard Hinnant's civil_from_days.
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthIndex = (5 * dayOfYear + 2) / 153
            let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
            let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
            let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
            self.date = "\(pad(Int(year), 4))-\(pad(Int(month), 2))-\(pad(Int(day), 2))"
            time = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
        }

        private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
            let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
            return (quotient, value - quotient * divisor)
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

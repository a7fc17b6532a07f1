import Foundation

/// Parses the durations people write in config files, and writes them back the same way.
public enum DurationText {
    /// The longest duration accepted, 36500 days (100 years): every setting is far below it, and
    /// the store's arithmetic in microseconds stays far from overflowing.
    static let longest = Duration.seconds(36_500 * 86_400)

    /// `500ms`, `30s`, `5m`, `1h`, `30d`, or `0`; `nil` when malformed or longer than ``longest``
    /// (the message for that comes from ``problem(_:example:)``).
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return .zero }
        guard let seconds = seconds(trimmed), seconds <= Double(longest.components.seconds) else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// What is wrong with `text`, which ``parse(_:)`` refused: too long, or not a duration (with
    /// `example`, such as "30s, 5m or 1h").
    static func problem(_ text: String, example: String) -> String {
        if let seconds = seconds(text.trimmingCharacters(in: .whitespaces)), seconds > 0 {
            return "\"\(text)\" is too long; the longest duration accepted is 36500d (100 years)"
        }
        return "expected a duration such as \(example), found \"\(text)\""
    }

    /// `duration` the way a config file writes it: `90s`, `1500ms`, `2m`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1000
        if seconds % 86400 == 0, seconds > 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0, seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0, seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// The seconds `text` (with its unit) stands for; `nil` when malformed, negative or not finite.
    private static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            // Digits and one point only: Double(_:) would also take "inf", "nan" and hex.
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite
            else { continue }
            return value * unit.seconds
        }
        return nil
    }
}

/// Parses byte sizes: `1048576`, `512KiB`, `1MiB`, `1KB`.
enum ByteCount {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(suffix: String, factor: Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("B", 1),
        ]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            guard let count = Int(trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)) else {
                return nil
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: unit.factor)
            return overflow ? nil : bytes
        }
        return Int(trimmed)
    }
}

import Foundation

/// Parses the durations and sizes people write in config files.
enum DurationText {
    /// `500ms`, `30s`, `5m`, `1h`, `30d`, or `0`; `nil` when malformed.
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return .zero }
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
        ]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            guard let value = Double(trimmed.dropLast(unit.suffix.count)), value >= 0 else { continue }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
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
            return Int(trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)).map {
                $0 * unit.factor
            }
        }
        return Int(trimmed)
    }
}

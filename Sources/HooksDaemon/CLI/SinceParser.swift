import Foundation

/// Parses a point in time as the commands' `--since` and the status page's filters take it: a
/// duration back from now, written as in the config (``DurationText``: `30m`, `2h`, `7d`, up to
/// 36500 days), or an absolute ISO 8601 time.
package enum SinceParser {
    package static func parse(_ text: String, now: Date = Date()) -> Date? {
        if let duration = DurationText.parse(text) { return now.addingTimeInterval(-duration.timeInterval) }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}

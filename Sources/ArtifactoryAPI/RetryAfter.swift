import Foundation

/// Reads a `Retry-After` header: delay seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`).
public enum RetryAfter {
    /// The delay the header asks for, measured from `now`; zero when the date is already past,
    /// `nil` when the value is neither form.
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = httpDate(trimmed) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval > 0 ? .milliseconds(Int64((interval * 1000).rounded(.up))) : .zero
    }

    /// `date` as an IMF-fixdate, the form servers send.
    public static func httpDate(_ date: Date) -> String {
        formatter(imfFixdate).string(from: date)
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), then the obsolete RFC 850 and asctime forms
    /// HTTP still asks recipients to accept.
    static func httpDate(_ text: String) -> Date? {
        for format in [imfFixdate, "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            if let date = formatter(format).date(from: text) { return date }
        }
        return nil
    }

    private static let imfFixdate = "EEE, dd MMM yyyy HH:mm:ss zzz"

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        return formatter
    }
}

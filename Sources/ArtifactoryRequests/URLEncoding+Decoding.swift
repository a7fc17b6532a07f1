extension URLEncoding {
    /// The bytes `text` percent-decodes to: each `%XX` (hex digits of either case) is that byte and
    /// every other byte is itself; `nil` when a `%` is not followed by two hex digits.
    ///
    /// Byte-exact, as a servlet container decodes a path segment: nothing is dropped or normalised
    /// (Foundation's `removingPercentEncoding` drops a leading `%EF%BB%BF`, U+FEFF, so a segment
    /// `%EF%BB%BF..` would read as `..`), and the result need not be UTF-8.
    public static func percentDecodedBytes(_ text: some StringProtocol) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                decoded.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            else { return nil }
            decoded.append(high << 4 | low)
            index += 3
        }
        return decoded
    }

    /// `text` percent-decoded (``percentDecodedBytes(_:)``) as UTF-8 text; `nil` for a malformed
    /// escape or bytes that are not UTF-8.
    public static func percentDecoded(_ text: some StringProtocol) -> String? {
        percentDecodedBytes(text).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Whether a path segment is, or percent-decodes to, `.` or `..`: the segments that would move
    /// a request out of the folder it names.
    public static func isDotSegment(_ segment: some StringProtocol) -> Bool {
        guard let decoded = percentDecodedBytes(segment) else { return false }
        return decoded == [UInt8(ascii: ".")] || decoded == [UInt8(ascii: "."), UInt8(ascii: ".")]
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

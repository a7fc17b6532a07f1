/// Writes one flat JSON object, member by member, in the order given.
///
/// For the records the daemon stores itself with every planned job (its request and the events it
/// expects back), where `JSONEncoder` was a measurable share of the worker's time. Strings are
/// escaped as `JSONEncoder` escapes them with `.withoutEscapingSlashes`, so stored rows keep the
/// text they always had.
public struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    public init() {}

    /// Adds `"key":"value"`; a `nil` value is left out.
    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        addKey(key)
        Self.appendQuoted(value, to: &text)
    }

    /// Adds `"key":value`.
    public mutating func add(_ key: String, _ value: Int) {
        addKey(key)
        text += String(value)
    }

    /// The object's text.
    public var json: String { text + "}" }

    private mutating func addKey(_ key: String) {
        if !empty { text += "," }
        empty = false
        Self.appendQuoted(key, to: &text)
        text += ":"
    }

    /// Appends `value` as a JSON string: quoted, with `"`, `\` and control characters escaped.
    public static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        let needsEscape = value.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        guard needsEscape else {
            text += value
            text += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        text += String(decoding: bytes, as: UTF8.self)
        text += "\""
    }
}

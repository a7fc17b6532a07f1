/// Writes one compact JSON object, member by member, in the order given: `/` not escaped,
/// non-ASCII kept as UTF-8, and `"`, `\` and control characters escaped as `JSONEncoder` escapes
/// them. The daemon's own JSON goes through it: promotion bodies (byte-exact and stable), and the
/// records stored with every planned job (its request and expected effects), which the worker
/// writes and reads on every call. Rows `JSONEncoder` wrote read back the same.
public struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    public init() {}

    /// Adds `"key":"value"`; a `nil` value is left out.
    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        member(key)
        Self.appendQuoted(value, to: &text)
    }

    /// Adds `"key":value`.
    public mutating func integer(_ key: String, _ value: Int) {
        member(key)
        text += String(value)
    }

    /// Adds `"key":true` or `false`.
    public mutating func bool(_ key: String, _ value: Bool) {
        member(key)
        text += value ? "true" : "false"
    }

    /// Adds `"key":["a","b"]`.
    public mutating func strings(_ key: String, _ values: [String]) {
        member(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.appendQuoted(value, to: &text)
        }
        text += "]"
    }

    /// Adds an object of string lists (`"properties":{"k":["v"]}`), members in the order given.
    public mutating func stringLists(_ key: String, _ members: [(key: String, values: [String])]) {
        member(key)
        var inner = JSONObjectWriter()
        for entry in members { inner.strings(entry.key, entry.values) }
        text += inner.finished
    }

    /// The object, closed.
    public var finished: String { text + "}" }

    private mutating func member(_ key: String) {
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

/// Writes compact JSON with members in the order given, so planned bodies are byte-exact and
/// stable (no sorting surprises, `/` not escaped, non-ASCII kept as UTF-8).
struct JSONWriter {
    private(set) var text = "{"
    private var first = true

    mutating func string(_ key: String, _ value: String) {
        member(key)
        Self.append(string: value, to: &text)
    }

    mutating func bool(_ key: String, _ value: Bool) {
        member(key)
        text += value ? "true" : "false"
    }

    mutating func strings(_ key: String, _ values: [String]) {
        member(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.append(string: value, to: &text)
        }
        text += "]"
    }

    /// An object of string lists (`"properties": {"k": ["v"]}`), members in the order given.
    mutating func stringLists(_ key: String, _ members: [(key: String, values: [String])]) {
        member(key)
        var inner = JSONWriter()
        for entry in members { inner.strings(entry.key, entry.values) }
        text += inner.finished
    }

    /// The object, closed.
    var finished: String { text + "}" }

    private mutating func member(_ key: String) {
        if !first { text += "," }
        first = false
        Self.append(string: key, to: &text)
        text += ":"
    }

    private static func append(string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

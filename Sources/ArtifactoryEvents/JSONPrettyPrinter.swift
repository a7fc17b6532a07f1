/// Re-indents JSON text without parsing it into values, so member order and every digit of every
/// number stay exactly as received. Input that is not JSON comes out re-spaced but unharmed.
public enum JSONPrettyPrinter {
    /// `bytes` indented by `indent` spaces per level.
    public static func format(_ bytes: some Collection<UInt8>, indent: Int = 2) -> String {
        var out: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        var justOpened = false
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
        }
        for byte in bytes {
            if inString {
                out.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if justOpened { newline(depth) }
                out.append(byte)
                depth += 1
                justOpened = true
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth = max(0, depth - 1)
                if !justOpened { newline(depth) }
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline(depth)
            case UInt8(ascii: ":"):
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                if justOpened { newline(depth) }
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
            }
            justOpened = false
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public import Logging

/// Text made safe for one log line: a backslash, a line break and every other control character
/// is written as an escape, so one event stays one line and no value a sender chose (an event
/// type, a path) can forge a line, move the terminal's cursor or colour what follows.
///
/// `\n` and `\r` become `\n` and `\r`; other control characters (C0, DEL, C1) and the Unicode
/// line and paragraph separators become `\u{1B}`; a tab stays a tab.
enum LogEscaping {
    /// `text`, escaped; the same string when nothing needs it.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case _ where needsEscape(scalar):
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `value` with every text in it escaped; nested lists and dictionaries keep their shape.
    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(escaped(text))
        case .stringConvertible(let convertible):
            needsEscape(convertible.description) ? .string(escaped(convertible.description)) : value
        case .array(let values): .array(values.map(escaped))
        case .dictionary(let values): .dictionary(values.mapValues(escaped))
        }
    }

    private static func needsEscape(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsEscape)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x5C, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }
}

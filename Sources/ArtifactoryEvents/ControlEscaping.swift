/// Text made safe for one line of a log or a terminal: a line break and every other control
/// character is written as an escape, so a value a sender chose (an event type, a path) stays on
/// its line and cannot forge a line or a table row, move the terminal's cursor, colour what
/// follows (`ESC[31m`) or reorder it (Unicode bidi overrides).
///
/// `\n` and `\r` become `\n` and `\r`; other control characters (C0, DEL, C1), the Unicode line
/// and paragraph separators and the bidi embedding, override and isolate characters become
/// `\u{1B}`; a tab stays a tab. A backslash becomes `\\`, so an escape in the output always
/// stands for a character that was escaped, unless ``escaped(_:escapingBackslash:)`` is told to
/// leave backslashes alone (for JSON text, whose own escapes are already unambiguous).
package enum ControlEscaping {
    /// `text`, escaped; the same string when nothing needs it.
    package static func escaped(_ text: String, escapingBackslash: Bool = true) -> String {
        guard needsEscape(text, escapingBackslash: escapingBackslash) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += escapingBackslash ? "\\\\" : "\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case _ where isControl(scalar):
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether ``escaped(_:escapingBackslash:)`` would change `text`.
    package static func needsEscape(_ text: String, escapingBackslash: Bool = true) -> Bool {
        text.unicodeScalars.contains { isControl($0) || (escapingBackslash && $0 == "\\") }
    }

    /// A character that acts on a terminal or a line instead of showing (a tab shows as space).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

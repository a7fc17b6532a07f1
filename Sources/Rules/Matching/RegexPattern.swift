import Foundation

/// A compiled `{matches: REGEX}` (ICU syntax, as Foundation's `NSRegularExpression`): true when the
/// expression is found anywhere in the value.
///
/// A pattern that is plain text, optionally anchored (`-sources\.jar$`, `^release-`), is matched
/// as text, which gives the same answer many times faster; every other pattern goes to ICU.
struct RegexPattern: Sendable {
    /// The pattern as written.
    let source: String
    private let regex: NSRegularExpression
    private let literal: Literal?
    /// The names of its named groups `(?<NAME>…)`, in pattern order.
    let captureNames: [String]

    /// A pattern without metacharacters: its text and anchors.
    private struct Literal: Sendable {
        var text: String
        var atStart: Bool
        var atEnd: Bool

        /// Compares code point for code point, as ICU does (no canonical equivalence).
        func matches(_ value: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
            var end = value.count
            // Without the multiline option, ICU's `$` also matches before one final line terminator.
            if atEnd { end -= Self.finalLineTerminatorLength(value) }
            guard end >= text.count else { return false }
            func equal(at start: Int) -> Bool {
                for index in 0..<text.count where value[start + index] != text[index] { return false }
                return true
            }
            switch (atStart, atEnd) {
            case (true, true): return end == text.count && equal(at: 0)
            case (true, false): return equal(at: 0)
            case (false, true): return equal(at: end - text.count)
            case (false, false): return (0...(end - text.count)).contains(where: equal(at:))
            }
        }

        /// The UTF-8 length of a line terminator ending `value` (`\r\n`, `\n`, `\u{0B}`, `\u{0C}`,
        /// `\r`, U+0085, U+2028, U+2029), or 0.
        private static func finalLineTerminatorLength(_ value: UnsafeBufferPointer<UInt8>) -> Int {
            let count = value.count
            guard let last = value.last else { return 0 }
            switch last {
            case 0x0A: return count >= 2 && value[count - 2] == 0x0D ? 2 : 1
            case 0x0B, 0x0C, 0x0D: return 1
            case 0x85: return count >= 2 && value[count - 2] == 0xC2 ? 2 : 0
            case 0xA8, 0xA9: return count >= 3 && value[count - 3] == 0xE2 && value[count - 2] == 0x80 ? 3 : 0
            default: return 0
            }
        }
    }

    init(_ source: String) throws {
        self.source = source
        regex = try NSRegularExpression(pattern: source)
        literal = Self.literal(of: source)
        captureNames = Self.captureNames(of: source)
    }

    /// The named groups of the first match in `value` that took part in it with a non-empty text;
    /// `nil` when the pattern does not match.
    func captures(in value: String) -> [String: String]? {
        guard let match = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) else {
            return nil
        }
        var captured: [String: String] = [:]
        for name in captureNames {
            guard let range = Range(match.range(withName: name), in: value), !range.isEmpty else { continue }
            captured[name] = String(value[range])
        }
        return captured
    }

    /// The names of `pattern`'s named groups: each `(?<NAME>` outside a bracket expression and
    /// not escaped (`(?<=` and `(?<!` are look-behinds).
    private static func captureNames(of pattern: String) -> [String] {
        let scalars = Array(pattern.unicodeScalars)
        var names: [String] = []
        var index = 0
        var classDepth = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if scalar == "[" { classDepth += 1 }
            if scalar == "]", classDepth > 0 { classDepth -= 1 }
            if classDepth == 0, scalar == "(", index + 3 < scalars.count, scalars[index + 1] == "?",
                scalars[index + 2] == "<", scalars[index + 3].properties.isAlphabetic
            {
                var name = String.UnicodeScalarView()
                var end = index + 3
                while end < scalars.count, scalars[end] != ">" {
                    name.append(scalars[end])
                    end += 1
                }
                names.append(String(name))
                index = end
                continue
            }
            index += 1
        }
        return names
    }

    /// Whether the pattern is matched as plain text.
    var isLiteral: Bool { literal != nil }

    func matches(_ value: String) -> Bool {
        guard let literal else {
            return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
        return UTF8Bytes.with(value) { value in
            UTF8Bytes.with(literal.text) { text in literal.matches(value, text) }
        }
    }

    /// The text a pattern stands for when it has no metacharacters other than a leading `^`, a
    /// trailing `$`, and backslash-escaped punctuation (`\.`, `\-`); `nil` otherwise.
    private static func literal(of pattern: String) -> Literal? {
        var scalars = Substring(pattern).unicodeScalars[...]
        let atStart = scalars.first == "^"
        if atStart { scalars = scalars.dropFirst() }
        var text = String.UnicodeScalarView()
        var atEnd = false
        var iterator = scalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\\":
                guard let escaped = iterator.next(), escaped.isASCII, !escaped.properties.isAlphabetic,
                    !("0"..."9").contains(escaped)
                else { return nil }
                text.append(escaped)
            case "$":
                guard iterator.next() == nil else { return nil }
                atEnd = true
            case ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "^":
                return nil
            default:
                text.append(scalar)
            }
        }
        return Literal(text: String(text), atStart: atStart, atEnd: atEnd)
    }
}

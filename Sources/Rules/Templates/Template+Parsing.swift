import YAMLDiagnostics

extension Template {
    /// The parts of `source`: literal text, and `{{ FIELD | FILTER: "ARG", … | … }}` expressions.
    ///
    /// Inside `{{ … }}` the field ends at the first `|` or `}}`; after a `|`, filter arguments are
    /// quoted strings (`"…"` or `'…'`, with `\\`, `\"` and `\'` as escapes), and a `}}` inside one
    /// does not close the expression. With `literalClosingBraces`, a `}}` that closes no `{{` is
    /// text; otherwise it is an error.
    static func parse(_ source: String, literalClosingBraces: Bool) throws(RulesError) -> [Part] {
        // Every character of the syntax is ASCII, and no byte of a multi-byte UTF-8 sequence is,
        // so the text is scanned as bytes and cut only next to ASCII bytes.
        var scanner = Scanner(bytes: Array(source.utf8))
        var parts: [Part] = []
        var literalStart = 0
        while scanner.current != nil {
            if scanner.isAt(Scanner.open) {
                if literalStart < scanner.index { parts.append(.literal(scanner.text(literalStart..<scanner.index))) }
                scanner.index += 2
                parts.append(try scanner.expression())
                literalStart = scanner.index
                continue
            }
            if !literalClosingBraces, scanner.isAt(Scanner.close) {
                throw RulesError(.badTemplate, "\"}}\" without an opening \"{{\"")
            }
            scanner.index += 1
        }
        if literalStart < scanner.index { parts.append(.literal(scanner.text(literalStart..<scanner.index))) }
        return parts
    }

    /// A cursor over a template's UTF-8 bytes.
    private struct Scanner {
        static let (open, close): (UInt8, UInt8) = (UInt8(ascii: "{"), UInt8(ascii: "}"))
        static let (bar, colon, comma, backslash): (UInt8, UInt8, UInt8, UInt8) = (
            UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "\\")
        )

        let bytes: [UInt8]
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        /// Whether the text continues with `brace` twice (`{{` or `}}`).
        func isAt(_ brace: UInt8) -> Bool {
            index + 1 < bytes.count && bytes[index] == brace && bytes[index + 1] == brace
        }

        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        /// The text of `range` without leading and trailing spaces and tabs.
        func trimmedText(_ range: Range<Int>) -> String {
            var (lower, upper) = (range.lowerBound, range.upperBound)
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            return text(lower..<upper)
        }

        /// The character at `index`, for messages.
        func character(at index: Int) -> String {
            String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).first.map(String.init) ?? ""
        }

        mutating func skipSpaces() {
            while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
        }

        static let unclosed = RulesError(.badTemplate, "\"{{\" without a closing \"}}\"")

        /// One expression, from just after its `{{` to just after its `}}`.
        mutating func expression() throws(RulesError) -> Part {
            let start = index
            while current != nil, current != Self.bar, !isAt(Self.close) { index += 1 }
            guard current != nil else { throw Self.unclosed }
            let text = trimmedText(start..<index)
            guard let expression = Expression(text) else { throw Self.unknownField(text) }
            var filters: [TemplateFilter] = []
            while current == Self.bar {
                index += 1
                let filter = try filter(after: text)
                filters.append(filter)
                skipSpaces()
                guard current != nil else { throw Self.unclosed }
                if isAt(Self.close) { break }
                guard current == Self.bar else {
                    throw RulesError(
                        .badTemplate,
                        "unexpected \"\(character(at: index))\" after \"| \(filter)\"; separate filters with \"|\"")
                }
            }
            index += 2
            return .expression(expression, filters: filters)
        }

        /// One filter, from just after its `|`.
        private mutating func filter(after field: String) throws(RulesError) -> TemplateFilter {
            skipSpaces()
            let start = index
            while let byte = current, byte == UInt8(ascii: "_") || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) {
                index += 1
            }
            let name = text(start..<index)
            guard !name.isEmpty else {
                guard current != nil else { throw Self.unclosed }
                throw RulesError(.badTemplate, "a filter name is missing after \"{{ \(field) |\"")
            }
            // An unknown name is reported before its arguments are read.
            if !TemplateFilter.forms.contains(where: { $0.name == name }) {
                _ = try TemplateFilter(name: name, arguments: [])
            }
            skipSpaces()
            var arguments: [String] = []
            guard current == Self.colon else { return try TemplateFilter(name: name, arguments: arguments) }
            index += 1
            while true {
                skipSpaces()
                guard let quote = current else { throw Self.unclosed }
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw unquoted(name) }
                arguments.append(try string())
                skipSpaces()
                guard current == Self.comma else { break }
                index += 1
            }
            return try TemplateFilter(name: name, arguments: arguments)
        }

        /// A quoted string, from its opening quote to just after its closing one.
        private mutating func string() throws(RulesError) -> String {
            let quote = bytes[index]
            index += 1
            var text: [UInt8] = []
            while let byte = current {
                index += 1
                if byte == quote { return String(decoding: text, as: UTF8.self) }
                guard byte == Self.backslash else {
                    text.append(byte)
                    continue
                }
                guard let escaped = current,
                    escaped == Self.backslash || escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "'")
                else {
                    let shown = "\\" + (current == nil ? "" : character(at: index))
                    throw RulesError(
                        .badTemplate,
                        "unknown escape \"\(shown)\" in a filter argument; only \\\\, \\\" and \\' are escapes")
                }
                text.append(escaped)
                index += 1
            }
            throw RulesError(
                .badTemplate,
                "unterminated string in a filter argument: it opens with \(Character(Unicode.Scalar(quote))) and never closes"
            )
        }

        /// The error for a filter argument that is not a quoted string, showing it quoted.
        private mutating func unquoted(_ name: String) -> RulesError {
            let start = index
            while current != nil, current != Self.comma, current != Self.bar, !isAt(Self.close) { index += 1 }
            return RulesError(
                .badTemplate,
                "filter arguments are quoted strings; write: \(name): \(TemplateFilter.quoted(trimmedText(start..<index)))"
            )
        }

        private static func unknownField(_ text: String) -> RulesError {
            var message = "unknown template field \"\(text)\""
            let known =
                Expression.named.map(\.text) + ["data.FIELD", "match.NAME"] + FoundItem.fields.map { "item." + $0 }
            if let suggestion = closest(to: text, in: known) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; use data.FIELD, match.NAME, " + Expression.named.map(\.text).joined(separator: ", ")
            }
            return RulesError(.badTemplate, message)
        }
    }
}

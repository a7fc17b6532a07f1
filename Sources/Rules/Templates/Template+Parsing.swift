import YAMLDiagnostics

extension Template {
    /// The parts of `source`: literal text, and `{{ FIELD | FILTER: "ARG", … | … }}` expressions.
    ///
    /// Inside `{{ … }}` the field ends at the first `|` or `}}`; after a `|`, filter arguments are
    /// quoted strings (`"…"` or `'…'`, with `\\`, `\"` and `\'` as escapes), and a `}}` inside one
    /// does not close the expression. With `literalClosingBraces`, a `}}` that closes no `{{` is
    /// text; otherwise it is an error.
    static func parse(_ source: String, literalClosingBraces: Bool) throws(RulesError) -> [Part] {
        var scanner = Scanner(scalars: Array(source.unicodeScalars))
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        func flush() {
            if !literal.isEmpty { parts.append(.literal(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        while let scalar = scanner.current {
            if scanner.isAt("{{") {
                flush()
                scanner.index += 2
                parts.append(try scanner.expression())
                continue
            }
            if !literalClosingBraces, scanner.isAt("}}") {
                throw RulesError(.badTemplate, "\"}}\" without an opening \"{{\"")
            }
            literal.append(scalar)
            scanner.index += 1
        }
        flush()
        return parts
    }

    /// A cursor over a template's text.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func isAt(_ token: String) -> Bool {
            let token = Array(token.unicodeScalars)
            return index + token.count <= scalars.count && scalars[index..<(index + token.count)].elementsEqual(token)
        }

        mutating func skipSpaces() {
            while let scalar = current, scalar == " " || scalar == "\t" { index += 1 }
        }

        static let unclosed = RulesError(.badTemplate, "\"{{\" without a closing \"}}\"")

        /// One expression, from just after its `{{` to just after its `}}`.
        mutating func expression() throws(RulesError) -> Part {
            let start = index
            while current != nil, current != "|", !isAt("}}") { index += 1 }
            guard current != nil else { throw Self.unclosed }
            let text = String(String.UnicodeScalarView(scalars[start..<index])).trimmingSpaces
            guard let expression = Expression(text) else { throw Self.unknownField(text) }
            var filters: [TemplateFilter] = []
            while current == "|" {
                index += 1
                let filter = try filter(after: text)
                filters.append(filter)
                skipSpaces()
                guard current != nil else { throw Self.unclosed }
                if isAt("}}") { break }
                guard current == "|" else {
                    throw RulesError(
                        .badTemplate,
                        "unexpected \"\(current.map(String.init) ?? "")\" after \"| \(filter)\"; "
                            + "separate filters with \"|\"")
                }
            }
            index += 2
            return .expression(expression, filters: filters)
        }

        /// One filter, from just after its `|`.
        private mutating func filter(after field: String) throws(RulesError) -> TemplateFilter {
            skipSpaces()
            var name = ""
            while let scalar = current, scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic) {
                name.unicodeScalars.append(scalar)
                index += 1
            }
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
            guard current == ":" else { return try TemplateFilter(name: name, arguments: arguments) }
            index += 1
            while true {
                skipSpaces()
                guard let quote = current else { throw Self.unclosed }
                guard quote == "\"" || quote == "'" else { throw unquoted(name) }
                arguments.append(try string())
                skipSpaces()
                guard current == "," else { break }
                index += 1
            }
            return try TemplateFilter(name: name, arguments: arguments)
        }

        /// A quoted string, from its opening quote to just after its closing one.
        private mutating func string() throws(RulesError) -> String {
            let quote = scalars[index]
            index += 1
            var text = String.UnicodeScalarView()
            while let scalar = current {
                index += 1
                if scalar == quote { return String(text) }
                guard scalar == "\\" else {
                    text.append(scalar)
                    continue
                }
                guard let escaped = current, escaped == "\\" || escaped == "\"" || escaped == "'" else {
                    let shown = current.map { "\\" + String($0) } ?? "\\"
                    throw RulesError(
                        .badTemplate,
                        "unknown escape \"\(shown)\" in a filter argument; only \\\\, \\\" and \\' are escapes")
                }
                text.append(escaped)
                index += 1
            }
            throw RulesError(
                .badTemplate, "unterminated string in a filter argument: it opens with \(quote) and never closes")
        }

        /// The error for a filter argument that is not a quoted string, showing it quoted.
        private mutating func unquoted(_ name: String) -> RulesError {
            let start = index
            while current != nil, current != ",", current != "|", !isAt("}}") { index += 1 }
            let bare = String(String.UnicodeScalarView(scalars[start..<index])).trimmingSpaces
            return RulesError(
                .badTemplate,
                "filter arguments are quoted strings; write: \(name): \(TemplateFilter.quoted(bare))")
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

extension String {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

import ArtifactoryEvents
import Foundation
import YAMLDiagnostics

/// A value in an action that may name event fields: `libs-qa-local/{{ data.path }}`.
///
/// Parsed once at load. Rendering an expression whose value the event does not carry (or carries
/// empty, or as a list or object) throws: a template never renders as an empty string.
struct Template: Sendable, Hashable, CustomStringConvertible {
    /// What `{{ … }}` may name.
    enum Expression: Sendable, Hashable, CustomStringConvertible {
        /// `data.FIELD` (or `data.a.b` into nested objects).
        case data([String])
        case eventDomain
        case eventType
        case eventSource
        case eventOrigin
        case eventID
        case ruleName
        case now
        /// `item.FIELD`: a field of the item a `for_each` found (``FoundItem/fields``); known only
        /// inside a `for_each`, when its child actions are rendered.
        case item(String)

        static let named: [(text: String, expression: Expression)] = [
            ("event.domain", .eventDomain), ("event.event_type", .eventType), ("event.source", .eventSource),
            ("event.origin", .eventOrigin), ("event.id", .eventID), ("rule.name", .ruleName), ("now", .now),
        ]

        init?(_ text: String) {
            if text.hasPrefix("item.") {
                let field = String(text.dropFirst(5))
                guard FoundItem.fields.contains(field) else { return nil }
                self = .item(field)
                return
            }
            if text.hasPrefix("data.") {
                let members = text.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
                guard !members.contains(where: \.isEmpty) else { return nil }
                self = .data(members.map(String.init))
                return
            }
            guard let expression = Self.named.first(where: { $0.text == text })?.expression else { return nil }
            self = expression
        }

        var description: String {
            if case .data(let members) = self { return "data." + members.joined(separator: ".") }
            if case .item(let field) = self { return "item." + field }
            return Self.named.first { $0.expression == self }?.text ?? "?"
        }
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case expression(Expression)
    }

    /// The text as written.
    let source: String
    let parts: [Part]

    /// Parses `source`. With `literalClosingBraces`, a `}}` that closes no `{{` is text (an AQL
    /// query closes nested objects with `}}`); otherwise it is an error.
    init(_ source: String, literalClosingBraces: Bool = false) throws(RulesError) {
        var parts: [Part] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw RulesError(.badTemplate, "\"{{\" without a closing \"}}\"")
            }
            let text = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let expression = Expression(text) else {
                var message = "unknown template field \"\(text)\""
                let known = Expression.named.map(\.text) + ["data.FIELD"] + FoundItem.fields.map { "item." + $0 }
                if let suggestion = closest(to: text, in: known) {
                    message += "; did you mean \"\(suggestion)\"?"
                } else {
                    message += "; use data.FIELD, " + Expression.named.map(\.text).joined(separator: ", ")
                }
                throw RulesError(.badTemplate, message)
            }
            parts.append(.expression(expression))
            rest = rest[close.upperBound...]
        }
        if !literalClosingBraces, rest.contains("}}") {
            throw RulesError(.badTemplate, "\"}}\" without an opening \"{{\"")
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.source = source
        self.parts = parts
    }

    /// A template of plain text.
    init(literal: String) {
        source = literal
        parts = literal.isEmpty ? [] : [.literal(literal)]
    }

    var description: String { source }

    /// Every expression the template names.
    var expressions: [Expression] {
        parts.compactMap {
            if case .expression(let expression) = $0 { return expression }
            return nil
        }
    }

    /// Whether the template names an `item.FIELD`.
    var namesItem: Bool {
        parts.contains {
            if case .expression(.item) = $0 { return true }
            return false
        }
    }

    /// Whether the template names `{{ rule.name }}`: only then does its text depend on the rule.
    var namesRule: Bool {
        parts.contains { $0 == .expression(.ruleName) }
    }

    /// The text with `placeholder` for each expression, for checks on the literal parts.
    func skeleton(placeholder: String) -> String {
        parts.map {
            switch $0 {
            case .literal(let text): text
            case .expression: placeholder
            }
        }.joined()
    }

    /// A template made of `parts` (a child action's template as an expansion stored it).
    init(parts: [Part]) {
        self.parts = parts
        source = parts.map {
            switch $0 {
            case .literal(let text): text
            case .expression(let expression): "{{ \(expression) }}"
            }
        }.joined()
    }

    /// The rendered text with each expression's value passed through `escape` (literal parts are
    /// kept as written): an AQL query's values are escaped for the JSON string they stand in.
    func render(_ context: RenderContext, escaping escape: (String) -> String) throws(RulesError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .expression(let expression): out += escape(try context.value(of: expression))
            }
        }
        return out
    }

    /// The template with every expression but `item.FIELD` rendered into literal text: what an
    /// expansion job keeps of a child action, so the worker needs nothing of the event.
    func renderingAllButItem(_ context: RenderContext) throws(RulesError) -> [Part] {
        var out: [Part] = []
        for part in parts {
            let next: Part
            switch part {
            case .literal, .expression(.item): next = part
            case .expression(let expression): next = .literal(try context.value(of: expression))
            }
            if case .literal(let text) = next, case .literal(let previous)? = out.last {
                out[out.count - 1] = .literal(previous + text)
            } else {
                out.append(next)
            }
        }
        return out
    }

    /// The rendered text.
    func render(_ context: RenderContext) throws(RulesError) -> String {
        if parts.count == 1 {
            switch parts[0] {
            case .literal(let text): return text
            case .expression(let expression): return try context.value(of: expression)
            }
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .expression(let expression): out += try context.value(of: expression)
            }
        }
        return out
    }
}

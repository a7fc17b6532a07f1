import ArtifactoryEvents
import Foundation
import YAMLDiagnostics

/// A value in an action that may name event fields: `libs-qa-local/{{ data.path }}`.
///
/// Parsed once at load. Rendering an expression whose value the event does not carry (or carries
/// empty, or as a list or object) throws: a template never renders as an empty string. Filters
/// (``TemplateFilter``) shape a value; only `default:` can stand in for an absent or empty one.
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
        /// `match.NAME`: the named capture `(?<NAME>…)` of a `matches:` condition of the rule.
        case match(String)

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
            if text.hasPrefix("match.") {
                let name = text.dropFirst(6).unicodeScalars
                guard let first = name.first, first.isASCII, first.properties.isAlphabetic,
                    name.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
                else { return nil }
                self = .match(String(text.dropFirst(6)))
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
            if case .match(let name) = self { return "match." + name }
            return Self.named.first { $0.expression == self }?.text ?? "?"
        }
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case expression(Expression)
        /// An expression and the filters (at least one) its value passes through, left to right;
        /// a case of its own so rendering an unfiltered expression costs what it did before filters.
        case filtered(Expression, [TemplateFilter])

        /// `expression` with `filters`: ``expression(_:)`` when there are none.
        static func expression(_ expression: Expression, filters: [TemplateFilter]) -> Part {
            filters.isEmpty ? .expression(expression) : .filtered(expression, filters)
        }

        /// The expression and its filters; `nil` for literal text.
        var expressionAndFilters: (expression: Expression, filters: [TemplateFilter])? {
            switch self {
            case .literal: nil
            case .expression(let expression): (expression, [])
            case .filtered(let expression, let filters): (expression, filters)
            }
        }

        /// `{{ data.path | dirname }}`.
        var source: String {
            switch self {
            case .literal(let text): text
            case .expression(let expression): "{{ \(expression) }}"
            case .filtered(let expression, let filters):
                "{{ " + ([expression.description] + filters.map(\.description)).joined(separator: " | ") + " }}"
            }
        }
    }

    /// The text as written.
    let source: String
    let parts: [Part]

    /// Parses `source` (see ``parse(_:literalClosingBraces:)``). With `literalClosingBraces`, a
    /// `}}` that closes no `{{` is text (an AQL query closes nested objects with `}}`); otherwise
    /// it is an error.
    init(_ source: String, literalClosingBraces: Bool = false) throws(RulesError) {
        self.source = source
        self.parts = try Self.parse(source, literalClosingBraces: literalClosingBraces)
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
            $0.expressionAndFilters?.expression
        }
    }

    /// Whether the template names an `item.FIELD`.
    var namesItem: Bool {
        parts.contains {
            if case .item = $0.expressionAndFilters?.expression { return true }
            return false
        }
    }

    /// Whether the template's text depends on the rule: it names `{{ rule.name }}` or a
    /// `{{ match.NAME }}` (the rule's own captures).
    var dependsOnRule: Bool {
        // On the planning path: looks at the parts without collecting them.
        parts.contains {
            switch $0 {
            case .expression(.ruleName), .expression(.match), .filtered(.ruleName, _), .filtered(.match, _): true
            default: false
            }
        }
    }

    /// The `match.NAME` names the template uses.
    var captureNames: [String] {
        expressions.compactMap {
            if case .match(let name) = $0 { return name }
            return nil
        }
    }

    /// The text with `placeholder` for each expression, for checks on the literal parts.
    func skeleton(placeholder: String) -> String {
        parts.map {
            switch $0 {
            case .literal(let text): text
            case .expression, .filtered: placeholder
            }
        }.joined()
    }

    /// A template made of `parts` (a child action's template as an expansion stored it).
    init(parts: [Part]) {
        self.parts = parts
        source = parts.map(\.source).joined()
    }

    /// The rendered text with each expression's value passed through `escape` (literal parts are
    /// kept as written): an AQL query's values are escaped for the JSON string they stand in.
    func render(_ context: RenderContext, escaping escape: (String) -> String) throws(RulesError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .expression(let expression): out += escape(try context.value(of: expression))
            case .filtered(let expression, let filters):
                out += escape(try context.value(of: expression, filters: filters))
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
            case .literal, .expression(.item), .filtered(.item, _): next = part
            case .expression(let expression): next = .literal(try context.value(of: expression))
            case .filtered(let expression, let filters):
                next = .literal(try context.value(of: expression, filters: filters))
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
            case .filtered(let expression, let filters): return try context.value(of: expression, filters: filters)
            }
        }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .expression(let expression): out += try context.value(of: expression)
            case .filtered(let expression, let filters): out += try context.value(of: expression, filters: filters)
            }
        }
        return out
    }
}

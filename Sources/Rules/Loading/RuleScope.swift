import ArtifactoryEvents
import Foundation
import YAMLDiagnostics

/// Reads the parts of one rule that depend on its event kinds (`when:` and `do:`), checking field
/// names and templates against what those kinds carry.
struct RuleScope {
    let document: YAMLDocument
    /// The rule's `on:` selectors.
    let selectors: [KindSelector]
    /// Whether the action being read runs in a `for_each` (beside it or in its block), so its
    /// templates may name `item.FIELD`.
    var inForEach = false
    /// The rule's own `require:`, added to each of its actions' guards.
    var ruleGuard: RuleGuard?

    static let combinators = ["any", "not"]

    // MARK: Conditions

    /// Reads a condition block (a mapping whose keys must all hold).
    func readCondition(_ node: YAMLNode, keyPath: String) -> Condition {
        guard let entries = node.entries else {
            document.report("expected a mapping of conditions, found \(node.typeName)", at: node)
            return .all([])
        }
        var conditions: [Condition] = []
        for entry in entries {
            let path = "\(keyPath).\(entry.key)"
            switch entry.key {
            case "any":
                guard let blocks = entry.value.items, !blocks.isEmpty else {
                    document.report("any: takes a non-empty list of condition blocks", at: entry.value)
                    continue
                }
                let read = blocks.enumerated().map { readCondition($1, keyPath: "\(path)[\($0)]") }
                conditions.append(.any(read, keyPath: path))
            case "not":
                conditions.append(.not(readCondition(entry.value, keyPath: path), keyPath: path))
            default:
                guard let field = EventField(key: entry.key) else {
                    reportUnknownField(entry.key, at: entry.keyNode)
                    continue
                }
                checkFieldExists(field, at: entry.keyNode)
                if let matcher = readMatcher(entry.value, listAllowed: true) {
                    conditions.append(.field(field, matcher, keyPath: path))
                }
            }
        }
        return .all(conditions)
    }

    private func reportUnknownField(_ key: String, at node: YAMLNode) {
        if key == "data" || key.hasPrefix("data.") {
            document.report("\"\(key)\" names no field; write data.FIELD (data.repo_key, data.a.b)", at: node)
            return
        }
        let known = EventField.named.map(\.key) + Self.combinators
        var message = "unknown condition \"\(key)\""
        if let suggestion = closest(to: key, in: known) {
            message += "; did you mean \"\(suggestion)\"?"
        } else {
            message += "; use one of \(known.joined(separator: ", ")) or data.FIELD"
        }
        document.report(message, at: node)
    }

    /// Warns when none of the rule's kinds carries `field`: the condition could never hold.
    private func checkFieldExists(_ field: EventField, at node: YAMLNode) {
        switch field {
        case .data(let members):
            let coverage = dataCoverage(members[0])
            guard coverage.never else { return }
            document.report(
                "\(field) is never sent with \(names(coverage.lacking)) events; this condition never holds",
                at: node, severity: .warning)
        default:
            guard let domains = field.domains else { return }
            let kinds = knownKindsIfClosed()
            guard let kinds, !kinds.isEmpty, !kinds.contains(where: { domains.contains($0.domain) }) else { return }
            document.report(
                "\(names(kinds)) events carry no \(field); this condition never holds", at: node, severity: .warning)
        }
    }

    /// Reads the right-hand side of a field condition.
    func readMatcher(_ node: YAMLNode, listAllowed: Bool) -> ValueMatcher? {
        if let items = node.items {
            guard listAllowed else {
                document.report("a list cannot hold another list; flatten it", at: node)
                return nil
            }
            guard !items.isEmpty else {
                document.report("an empty list matches nothing; give at least one value", at: node)
                return nil
            }
            let matchers = items.compactMap { readMatcher($0, listAllowed: false) }
            return matchers.count == items.count ? .anyOf(matchers) : nil
        }
        if node.entries != nil { return readMatcherMapping(node) }
        guard let text = node.scalar, !node.isNull, !text.isEmpty else {
            document.report("expected a value, a list, or {matches:}, {not:}, {min:, max:}", at: node)
            return nil
        }
        guard Glob.isPattern(text) else { return .exact(text) }
        do {
            return .glob(try Glob(text))
        } catch {
            document.report("bad glob \"\(text)\": \(error.message)", at: node)
            return nil
        }
    }

    private func readMatcherMapping(_ node: YAMLNode) -> ValueMatcher? {
        guard let map = YAMLMappingReader(node, in: document), let entries = node.entries else { return nil }
        let keys = Set(entries.map(\.key))
        map.rejectUnknownKeys(["matches", "not", "min", "max"])
        let forms = [keys.contains("matches"), keys.contains("not"), keys.contains("min") || keys.contains("max")]
        guard forms.count(where: { $0 }) == 1 else {
            if forms.contains(true) {
                document.report("use one of {matches: REGEX}, {not: …} or {min:, max:} per value", at: node)
            } else if keys.isEmpty {
                document.report("an empty mapping tests nothing; use {matches:}, {not:} or {min:, max:}", at: node)
            }
            return nil
        }
        if let regexNode = map.value("matches") {
            guard let pattern = regexNode.scalar, !regexNode.isNull, !pattern.isEmpty else {
                document.report("matches: takes a regular expression", at: regexNode)
                return nil
            }
            do {
                return .regex(try RegexPattern(pattern))
            } catch {
                document.report("bad regular expression \"\(pattern)\"", at: regexNode)
                return nil
            }
        }
        if let inner = map.value("not") {
            return readMatcher(inner, listAllowed: true).map { .not($0) }
        }
        let min = map.value("min").flatMap { _ in map.integer("min") }
        let max = map.value("max").flatMap { _ in map.integer("max") }
        if (map.value("min") != nil && min == nil) || (map.value("max") != nil && max == nil) { return nil }
        if let min, let max, min > max {
            document.report("min (\(min)) is greater than max (\(max)); nothing can match", at: node)
            return nil
        }
        return .range(min: min.map(Int64.init), max: max.map(Int64.init))
    }

    // MARK: Templates

    /// Parses a scalar as a template, reporting syntax errors and fields the rule's kinds never
    /// carry (an error when none carries it, a warning when some do not).
    func readTemplate(_ node: YAMLNode, what: String, literalClosingBraces: Bool = false) -> Template? {
        guard let text = node.scalar, !node.isNull, !text.isEmpty else {
            document.report("expected \(what), found \(node.typeName)", at: node)
            return nil
        }
        let template: Template
        do {
            template = try Template(text, literalClosingBraces: literalClosingBraces)
        } catch {
            document.report(error.message, at: node)
            return nil
        }
        for expression in template.expressions {
            if case .item = expression, !inForEach {
                document.report(
                    "{{ \(expression) }} is only known inside a for_each; add for_each: beside the action", at: node)
            }
            guard case .data(let members) = expression else { continue }
            let coverage = dataCoverage(members[0])
            if coverage.never {
                let carried = Set(coverage.lacking.flatMap { EventCatalog.dataFields(of: $0) ?? [] }).sorted()
                var message = "{{ \(expression) }}: \(names(coverage.lacking)) events never carry \(expression)"
                if let suggestion = closest(to: members[0], in: carried) {
                    message += "; did you mean data.\(suggestion)?"
                } else if !carried.isEmpty {
                    message += "; they carry " + carried.map { "data.\($0)" }.joined(separator: ", ")
                }
                document.report(message, at: node)
            } else if !coverage.lacking.isEmpty {
                document.report(
                    "{{ \(expression) }}: \(names(coverage.lacking)) events never carry \(expression); "
                        + "their plans will fail", at: node, severity: .warning)
            }
        }
        return template
    }

    // MARK: Kind coverage

    /// The known kinds the rule takes, or `nil` when it also takes kinds the catalog does not know.
    func knownKindsIfClosed() -> [EventKind]? {
        var kinds: [EventKind] = []
        for selector in selectors {
            guard let known = selector.knownKinds else { return nil }
            kinds += known
        }
        return kinds
    }

    /// Which of the rule's kinds carry the `data` member `name`, and which do not.
    struct Coverage {
        var carrying: [EventKind] = []
        var lacking: [EventKind] = []
        /// Whether `on:` also takes kinds the catalog does not know, which may carry anything.
        var open = false

        /// No kind can carry the member.
        var never: Bool { carrying.isEmpty && !open && !lacking.isEmpty }
    }

    /// Which of the rule's known kinds carry the `data` member `name`.
    private func dataCoverage(_ name: String) -> Coverage {
        var carrying: [EventKind] = []
        var lacking: [EventKind] = []
        var open = false
        for selector in selectors {
            guard let kinds = selector.knownKinds else {
                open = true
                continue
            }
            for kind in kinds {
                if EventCatalog.dataFields(of: kind)?.contains(name) == true {
                    carrying.append(kind)
                } else {
                    lacking.append(kind)
                }
            }
        }
        return Coverage(carrying: carrying, lacking: lacking, open: open)
    }

    /// `artifact.deployed, artifact.deleted` (deduplicated, in order).
    func names(_ kinds: [EventKind]) -> String {
        var seen: Set<EventKind> = []
        return kinds.filter { seen.insert($0).inserted }.map(\.description).joined(separator: ", ")
    }
}

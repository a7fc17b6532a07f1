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
    /// The named captures of the rule's `when:`, which templates may name as `{{ match.NAME }}`.
    var captureNames = CaptureNames()
    /// The rule's own `require:`, added to each of its actions' guards.
    var ruleGuard: RuleGuard?

    static let combinators = RuleFileSchema.combinators

    // MARK: Conditions

    /// Reads a condition block (a mapping whose keys must all hold).
    func readCondition(_ node: YAMLNode, keyPath: String) -> Condition {
        var nodes: [String: YAMLNode] = [:]
        return readCondition(node, keyPath: keyPath, nodes: &nodes)
    }

    /// Reads a condition block, noting in `nodes` the key node of each condition by its key path
    /// (`when.any[0].repo`), for diagnostics about the conditions as a whole.
    func readCondition(_ node: YAMLNode, keyPath: String, nodes: inout [String: YAMLNode]) -> Condition {
        guard let entries = node.entries else {
            document.report("expected a mapping of conditions, found \(node.typeName)", at: node)
            return .all([])
        }
        var conditions: [Condition] = []
        for entry in entries {
            let path = "\(keyPath).\(entry.key)"
            nodes[path] = entry.keyNode
            switch entry.key {
            case "any":
                guard let blocks = entry.value.items, !blocks.isEmpty else {
                    document.report("any: takes a non-empty list of condition blocks", at: entry.value)
                    continue
                }
                var read: [Condition] = []
                for (index, block) in blocks.enumerated() {
                    nodes["\(path)[\(index)]"] = block
                    read.append(readCondition(block, keyPath: "\(path)[\(index)]", nodes: &nodes))
                }
                conditions.append(.any(read, keyPath: path))
            case "not":
                conditions.append(.not(readCondition(entry.value, keyPath: path, nodes: &nodes), keyPath: path))
            default:
                guard let field = EventField(key: entry.key) else {
                    reportUnknownField(entry.key, at: entry.keyNode)
                    continue
                }
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
        map.rejectUnknownKeys(RuleFileSchema.matcherKeys)
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
        checkCaptures(template, at: node)
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

    /// Reports a `{{ match.NAME }}` that no `matches:` of the rule's `when:` defines (an error),
    /// and one that only some `any:` blocks define, without a `default:` (a warning).
    private func checkCaptures(_ template: Template, at node: YAMLNode) {
        for case (.match(let name), let filters)? in template.parts.map(\.expressionAndFilters) {
            let shown = "{{ match.\(name) }}"
            if captureNames.possible.contains(name) {
                let defaulted = filters.contains {
                    if case .defaultValue = $0 { return true }
                    return false
                }
                guard !captureNames.definite.contains(name), !defaulted else { continue }
                document.report(
                    "\(shown): only some any: blocks of when: capture (?<\(name)>…); events taken through the "
                        + "others fail to plan unless it ends with | default: \"VALUE\"", at: node, severity: .warning)
            } else if captureNames.excluded.contains(name) {
                document.report(
                    "\(shown): (?<\(name)>…) is only under not:, which holds when the pattern does not match; "
                        + "capture it in a matches: outside not:", at: node)
            } else if captureNames.possible.isEmpty {
                document.report(
                    "\(shown): no matches: of the rule's when: has a named group; write one such as "
                        + "name: {matches: '^app-(?<\(name)>[0-9.]+)\\.jar$'}", at: node)
            } else {
                let known = captureNames.possible.sorted()
                var message =
                    "\(shown): no matches: of the rule's when: defines (?<\(name)>…); it defines "
                    + known.map { "match.\($0)" }.joined(separator: ", ")
                if let suggestion = closest(to: name, in: known) { message += "; did you mean match.\(suggestion)?" }
                document.report(message, at: node)
            }
        }
    }

    // MARK: Kind coverage

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

    /// Like ``names(_:)``, with every known kind of a domain written once as `DOMAIN.*`:
    /// `artifact.*, build.uploaded`.
    func compactNames(_ kinds: [EventKind]) -> String {
        var parts: [String] = []
        var done: Set<EventKind> = []
        for kind in kinds where !done.contains(kind) {
            let domainKinds = EventCatalog.kinds(of: kind.domain)
            if domainKinds.count > 1, domainKinds.allSatisfy(kinds.contains) {
                parts.append("\(kind.domain.rawValue).*")
                done.formUnion(domainKinds)
            } else {
                parts.append(kind.description)
                done.insert(kind)
            }
        }
        return parts.joined(separator: ", ")
    }
}

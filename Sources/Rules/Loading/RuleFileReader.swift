import ArtifactoryEvents
import Foundation
import YAMLDiagnostics

/// Reads one rule file, reporting every problem to its document.
///
/// A rule with errors still comes back (with what could be read) so checks that span files, such
/// as duplicate names, see it; a set with any error is never used.
struct RuleFileReader {
    let document: YAMLDocument

    /// A rule and the node of its name, for cross-file diagnostics.
    struct Entry {
        var rule: Rule
        var nameNode: YAMLNode
    }

    /// The keys of a rule, from ``RuleFileSchema``.
    static var ruleKeys: [String] { RuleFileSchema.rule.keyNames }

    func read() -> [Entry] {
        guard let root = document.root else {
            if !document.hasErrors { document.report("the file has no rules", at: nil, severity: .warning) }
            return []
        }
        guard let top = YAMLMappingReader(root, in: document) else { return [] }
        top.rejectUnknownKeys(RuleFileSchema.file.keyNames)
        let sharedWhen = top.value("defaults").flatMap(readDefaults)
        guard let list = top.value("rules") else {
            document.report("expected a top-level \"rules:\" list", at: root)
            return []
        }
        guard let items = list.items else {
            if list.isNull {
                document.report("the rules: list is empty", at: list, severity: .warning)
            } else {
                document.report("expected a list of rules, found \(list.typeName)", at: list)
            }
            return []
        }
        if items.isEmpty { document.report("the rules: list is empty", at: list, severity: .warning) }
        return items.compactMap { readRule($0, sharedWhen: sharedWhen) }
    }

    /// Reads `defaults:` at the top of the file: its `when:`, which every rule of the file adds to
    /// its own (both must hold). Returns the `when:` node, read against each rule's `on:`.
    private func readDefaults(_ node: YAMLNode) -> YAMLNode? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        map.rejectUnknownKeys(RuleFileSchema.defaults.keyNames)
        guard let when = map.value("when") else {
            document.report("needs when: with the conditions every rule of the file adds", at: node)
            return nil
        }
        return when
    }

    private func readRule(_ node: YAMLNode, sharedWhen: YAMLNode?) -> Entry? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        map.rejectUnknownKeys(Self.ruleKeys)
        let nameNode = map.value("name")
        let name = map.string("name")
        if nameNode == nil {
            document.report("a rule needs a name:", at: node)
        } else if let name, !Self.isValidName(name) {
            document.report(
                "rule name \"\(name)\" may only use letters, digits, \"-\", \"_\" and \".\"", at: nameNode)
        }
        let selectors = readSelectors(map.value("on"), rule: node)
        var scope = RuleScope(document: document, selectors: selectors)
        var condition = map.value("when").map { scope.readWhen($0) } ?? .all([])
        if let sharedWhen {
            // Judged for this rule's kinds: a shared condition that never holds for them is its error.
            condition = .all([scope.readWhen(sharedWhen, keyPath: "defaults.when"), condition])
        }
        if let entry = node.entries?.first(where: { $0.key == "require" }) {
            scope.ruleGuard = RuleScope.RuleGuard(condition: scope.readGuard(entry.value), node: entry.keyNode)
        }
        scope.captureNames = condition.captureNames
        let throttle = scope.readThrottle(node)
        let actions = scope.readActions(map.value("do"), rule: node)
        scope.checkRepositoryReach(condition, actions: map.value("do"))
        guard let name, let nameNode else { return nil }
        let rule = Rule(
            name: name, description: map.string("description"), enabled: map.boolean("enabled") ?? true,
            selectors: selectors, onSelfCaused: map.boolean("on_self_caused") ?? false, mode: readMode(map),
            file: document.file, line: nameNode.line, condition: condition, actions: actions, throttle: throttle)
        return Entry(rule: rule, nameNode: nameNode)
    }

    /// Reads `mode:` (`live` or `shadow`); `nil` when absent or wrong (reported at the value).
    private func readMode(_ map: YAMLMappingReader) -> RuleMode? {
        guard let text = map.string("mode") else { return nil }
        guard let mode = RuleMode(parsing: text) else {
            document.report(RuleMode.problem(text), at: map.value("mode"))
            return nil
        }
        return mode
    }

    /// Letters, digits, `-`, `_` and `.`.
    static func isValidName(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".contains(Character($0)))
        }
    }

    /// Reads `on:`: one selector or a list, warning about kinds the catalog does not know.
    private func readSelectors(_ node: YAMLNode?, rule: YAMLNode) -> [KindSelector] {
        guard let node, !node.isNull else {
            document.report("a rule needs on: with one or more event kinds (DOMAIN.EVENT_TYPE or DOMAIN.*)", at: rule)
            return []
        }
        let items = node.items ?? [node]
        if items.isEmpty { document.report("on: needs at least one event kind", at: node) }
        var selectors: [KindSelector] = []
        for item in items {
            guard let text = item.scalar, !item.isNull else {
                document.report("expected an event kind such as artifact.deployed, found \(item.typeName)", at: item)
                continue
            }
            guard let selector = KindSelector(text) else {
                document.report(
                    "\"\(text)\" is not an event kind; write DOMAIN.EVENT_TYPE (artifact.deployed) or DOMAIN.*",
                    at: item)
                continue
            }
            warnIfUnknown(selector, text: text, at: item)
            selectors.append(selector)
        }
        return selectors
    }

    private func warnIfUnknown(_ selector: KindSelector, text: String, at node: YAMLNode) {
        let domain: EventDomain
        switch selector {
        case .kind(let kind): domain = kind.domain
        case .domain(let selected): domain = selected
        }
        if case .unknown = domain {
            let domains = EventDomain.known.map { "\($0.rawValue).*" }
            var message =
                "\"\(domain.rawValue)\" is not a domain this version knows; the rule only matches if "
                + "Artifactory sends it"
            if let suggestion = closest(to: text, in: EventCatalog.kindNames + domains) {
                message += "; did you mean \"\(suggestion)\"?"
            }
            document.report(message, at: node, severity: .warning)
        } else if selector.knownKinds == nil {
            var message =
                "\"\(text)\" is not an event type this version knows; the rule only matches if "
                + "Artifactory sends it"
            if let suggestion = closest(to: text, in: EventCatalog.kindNames) {
                message += "; did you mean \"\(suggestion)\"?"
            }
            document.report(message, at: node, severity: .warning)
        }
    }
}

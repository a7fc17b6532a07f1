import ArtifactoryEvents
import YAMLDiagnostics

extension RuleScope {
    /// A rule's own `require:`, added to each of its actions' guards.
    struct RuleGuard {
        var condition: GuardCondition
        /// Its `require` key, where problems with it are reported.
        var node: YAMLNode
    }

    /// Reads a `require:` block: a mapping of guard keys (`item.properties.KEY`, `item.exists`,
    /// `item.size`, `build.status`) to the same value forms as `when:`, with `any:` and `not:`.
    func readGuard(_ node: YAMLNode) -> GuardCondition {
        guard let entries = node.entries else {
            document.report(
                "require: takes a mapping of conditions on \(GuardField.keys.joined(separator: ", ")), "
                    + "found \(node.typeName)", at: node)
            return .all([])
        }
        var conditions: [GuardCondition] = []
        for entry in entries {
            switch entry.key {
            case "any":
                guard let blocks = entry.value.items, !blocks.isEmpty else {
                    document.report("any: takes a non-empty list of condition blocks", at: entry.value)
                    continue
                }
                conditions.append(.any(blocks.map(readGuard)))
            case "not":
                conditions.append(.not(readGuard(entry.value)))
            default:
                guard let field = GuardField(key: entry.key) else {
                    reportUnknownGuardKey(entry.key, at: entry.keyNode)
                    continue
                }
                guard let matcher = readMatcher(entry.value, listAllowed: true) else { continue }
                if field == .exists, case .exact(let text) = matcher, text != "true", text != "false" {
                    document.report("item.exists is true or false, not \"\(text)\"", at: entry.value)
                    continue
                }
                conditions.append(.test(field, matcher))
            }
        }
        return conditions.count == 1 ? conditions[0] : .all(conditions)
    }

    private func reportUnknownGuardKey(_ key: String, at node: YAMLNode) {
        var known = ["item.exists", "item.size", "build.status"] + Self.combinators
        // `item.propertes.locked` is most likely `item.properties.locked`.
        if let last = key.split(separator: ".").last, key.contains(".") { known.append("item.properties.\(last)") }
        var message = "unknown guard \"\(key)\""
        if let suggestion = closest(to: key, in: known) {
            message += "; did you mean \"\(suggestion)\"?"
        } else {
            message += "; use one of \(GuardField.keys.joined(separator: ", ")), any or not"
        }
        document.report(message, at: node)
    }

    /// Reads an action that is not a `for_each`, with its `require:` and the rule's. Inside a
    /// `for_each` block a guard is refused.
    func readGuardedAction(_ node: YAMLNode) -> ActionSpec? {
        let requireEntry = node.entries?.first { $0.key == "require" }
        if inForEach, let requireEntry {
            document.report(
                "require: cannot stand inside a for_each; guard a rule of its own that acts on the item",
                at: requireEntry.keyNode)
        }
        guard var action = readSingleAction(node, besides: ["require"]), !inForEach else { return nil }
        var conditions: [GuardCondition] = []
        if let ruleGuard {
            checkGuardFit(ruleGuard.condition, of: action, at: ruleGuard.node)
            conditions.append(ruleGuard.condition)
        }
        if let requireEntry {
            let condition = readGuard(requireEntry.value)
            checkGuardFit(condition, of: action, at: requireEntry.keyNode)
            conditions.append(condition)
        }
        if !conditions.isEmpty { action.requirement = conditions.count == 1 ? conditions[0] : .all(conditions) }
        return action
    }

    /// Refuses a guard on a `for_each` (its own `require:` or the rule's); `true` when it did.
    func refusesGuard(_ node: YAMLNode) -> Bool {
        if let entry = node.entries?.first(where: { $0.key == "require" }) {
            document.report(
                "require: cannot guard a for_each; narrow its query instead, or guard a rule of its own",
                at: entry.keyNode)
            return true
        }
        if let ruleGuard {
            document.report(
                "require: on a rule cannot guard its for_each actions; give the guarded actions a rule of their own",
                at: ruleGuard.node)
            return true
        }
        return false
    }

    /// Reports `item.*` tests on an action that acts on no item, and `build.status` where no build
    /// run is known (neither `promote_build`'s nor the event's).
    private func checkGuardFit(_ condition: GuardCondition, of action: ActionSpec, at node: YAMLNode) {
        let fields = condition.fields
        if let field = fields.first(where: \.isItemField),
            [.promoteBuild, .artifactory, .platform].contains(action.kind)
        {
            document.report(
                "\(field) reads the item the action acts on, but \(action.kind) acts on no item", at: node)
        }
        guard fields.contains(.buildStatus) else { return }
        if case .promoteBuild = action.operation { return }
        checkFit(
            [.build], at: node,
            error: { "build.status reads the event's build run, but \($0) events name none" },
            warning: { "build.status reads the event's build run, but \($0) events name none; their plans will fail" })
    }
}

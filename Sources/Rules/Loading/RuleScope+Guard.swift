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
        var known = RuleFileSchema.guardMapping.keyNames
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
    /// `for_each` block only the action's own guard counts, and it may test only the found item.
    func readGuardedAction(_ node: YAMLNode) -> ActionSpec? {
        let requireEntry = node.entries?.first { $0.key == "require" }
        guard var action = readSingleAction(node, besides: ["require"] + actionThrottleKeys) else { return nil }
        var conditions: [GuardCondition] = []
        if let ruleGuard, !inForEach {
            checkGuardFit(ruleGuard.condition, of: action, at: ruleGuard.node)
            conditions.append(ruleGuard.condition)
        }
        if let requireEntry {
            let condition = readGuard(requireEntry.value)
            if inForEach {
                if condition.fields.contains(.buildStatus) {
                    document.report(
                        "build.status cannot be tested per found item; write it in the require: beside for_each:",
                        at: requireEntry.keyNode)
                }
            } else {
                checkGuardFit(condition, of: action, at: requireEntry.keyNode)
            }
            conditions.append(condition)
        }
        action.requirement = GuardCondition.all(conditions, joining: action.requirement)
        return action
    }

    /// Reads a `for_each` entry with its `require:` and the rule's. Each part of a guard (each key
    /// of its mapping) goes where it can be answered: `item.*` tests to every child, for its found
    /// item; `build.status` to the expansion job, checked before its query runs.
    func readGuardedForEach(_ node: YAMLNode) -> ActionSpec? {
        var guards: [(condition: GuardCondition, node: YAMLNode)] = []
        if let ruleGuard { guards.append((ruleGuard.condition, ruleGuard.node)) }
        if let entry = node.entries?.first(where: { $0.key == "require" }) {
            guards.append((readGuard(entry.value), entry.keyNode))
        }
        var inner = self
        inner.ruleGuard = nil
        guard let read = inner.readForEach(node), case .forEach(var forEach) = read.operation else { return nil }
        var perItem: [GuardCondition] = []
        var perRun: [GuardCondition] = []
        for (condition, keyNode) in guards {
            for part in condition.conjuncts {
                let fields = part.fields
                if fields.allSatisfy(\.isItemField) {
                    perItem.append(part)
                } else if !fields.contains(where: \.isItemField) {
                    perRun.append(part)
                } else {
                    document.report(
                        "a for_each guard's any: or not: block tests either the found items (item.*) or the "
                            + "build run (build.status), not both", at: keyNode)
                }
            }
            if condition.fields.contains(.buildStatus) { checkRunFit(forEach, at: keyNode) }
        }
        if !perItem.isEmpty {
            for index in forEach.actions.indices {
                forEach.actions[index].requirement = GuardCondition.all(
                    perItem, joining: forEach.actions[index].requirement)
            }
        }
        var action = ActionSpec(operation: .forEach(forEach), target: read.target)
        action.requirement = GuardCondition.all(perRun, joining: nil)
        return action
    }

    /// `build.status` on a `for_each` reads its `build_artifacts` run, else the event's.
    private func checkRunFit(_ forEach: ActionSpec.ForEach, at node: YAMLNode) {
        if case .buildArtifacts(let build) = forEach.source, build.name != nil, build.number != nil { return }
        checkFit(
            [.build], at: node,
            error: { "build.status reads the event's build run, but \($0) events name none" },
            warning: { "build.status reads the event's build run, but \($0) events name none; their plans will fail" })
    }

    /// Reports `item.*` tests on an action that acts on no item, and `build.status` where no build
    /// run is known (neither `promote_build`'s nor the event's).
    private func checkGuardFit(_ condition: GuardCondition, of action: ActionSpec, at node: YAMLNode) {
        let fields = condition.fields
        if let field = fields.first(where: \.isItemField), !action.kind.actsOnItem {
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

extension GuardCondition {
    /// The parts that must all hold: a mapping's keys, each on its own.
    var conjuncts: [GuardCondition] {
        if case .all(let conditions) = self { return conditions.flatMap(\.conjuncts) }
        return [self]
    }

    /// `conditions` and `existing` (when given) together; `nil` when there is nothing to test.
    static func all(_ conditions: [GuardCondition], joining existing: GuardCondition?) -> GuardCondition? {
        let every = (existing.map { [$0] } ?? []) + conditions
        switch every.count {
        case 0: return nil
        case 1: return every[0]
        default: return .all(every)
        }
    }
}

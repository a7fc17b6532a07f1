import ArtifactoryEvents
import YAMLDiagnostics

/// What a rule's `when:` makes it really do, judged for each kind `on:` takes
/// (``ConditionJudge``): a `when:` whose answer no event's values can change is an error (the
/// rule takes every event of its kinds, or none), one that decides so for some kinds only is a
/// warning, and so is a part of it that always or never holds. Each message says in words which
/// events the rule takes and why.
extension RuleScope {
    /// Reads `when:` (or a file's shared `defaults.when:`, at `keyPath`) and reports what it makes
    /// the rule do.
    func readWhen(_ node: YAMLNode, keyPath: String = "when") -> Condition {
        var nodes: [String: YAMLNode] = [:]
        let condition = readCondition(node, keyPath: keyPath, nodes: &nodes)
        checkWhen(condition, at: node, keyPath: keyPath, nodes: nodes)
        return condition
    }

    /// A judge per known kind the rule takes (each kind once), and whether `on:` also takes kinds
    /// the catalog does not know, whose events may carry any field.
    private func kindJudges() -> (judges: [ConditionJudge], open: Bool) {
        var judges: [ConditionJudge] = []
        var seen: Set<EventKind> = []
        var open = false
        for selector in selectors {
            guard let kinds = selector.knownKinds else {
                open = true
                continue
            }
            for kind in kinds where seen.insert(kind).inserted {
                if let judge = ConditionJudge(kind: kind) { judges.append(judge) }
            }
        }
        return (judges, open)
    }

    private func checkWhen(_ condition: Condition, at node: YAMLNode, keyPath: String, nodes: [String: YAMLNode]) {
        guard case .all(let top, _) = condition, !top.isEmpty else { return }
        let (judges, open) = kindJudges()
        guard !judges.isEmpty else { return }
        let verdicts = judges.map { ($0.kind, $0.verdict(condition, at: keyPath)) }
        let definite = verdicts.filter { $0.1.answer != .depends }
        if !open, definite.count == verdicts.count {
            reportDecided(top, verdicts, judges: judges, at: node, keyPath: keyPath, nodes: nodes)
            return
        }
        if !definite.isEmpty {
            document.report("this rule would take " + describe(definite), at: node, severity: .warning)
        }
        if !open { warnConstantParts(top, judges: judges, nodes: nodes) }
    }

    /// Reports a `when:` that no event's values can change: at the top-level condition that never
    /// holds when there is one, else at `when:`.
    private func reportDecided(
        _ top: [Condition], _ verdicts: [(EventKind, ConditionVerdict)], judges: [ConditionJudge], at node: YAMLNode,
        keyPath: String, nodes: [String: YAMLNode]
    ) {
        if verdicts.allSatisfy({ $0.1.answer == .never }) {
            for child in top {
                let childVerdicts = judges.map { ($0.kind, $0.verdict(child, at: keyPath)) }
                guard childVerdicts.allSatisfy({ $0.1.answer == .never }) else { continue }
                let at = nodes[child.keyPath] ?? node
                if case .field(let field, _, _) = child {
                    document.report(
                        absentFieldMessage(field, judges.map(\.kind)) + ", so this rule would take no event", at: at)
                } else {
                    document.report("this rule would take " + describe(childVerdicts), at: at)
                }
                return
            }
        }
        document.report("this rule would take " + describe(verdicts), at: node)
    }

    /// Warns at each outermost part of a `when:` that holds for every event of the rule's kinds or
    /// for none.
    private func warnConstantParts(
        _ conditions: [Condition], judges: [ConditionJudge], nodes: [String: YAMLNode]
    ) {
        for condition in conditions {
            switch condition {
            case .field(let field, _, let keyPath):
                let verdicts = judges.map { ($0.kind, $0.verdict(condition, at: keyPath)) }
                guard let answer = constantAnswer(verdicts), let at = nodes[keyPath] else { continue }
                let message =
                    answer == .never
                    ? absentFieldMessage(field, judges.map(\.kind))
                    : "\(names(judges.map(\.kind))) events carry no \(field), so this condition always holds"
                document.report(message, at: at, severity: .warning)
            case .any(let blocks, let keyPath):
                if warnIfConstant(condition, at: keyPath, judges: judges, nodes: nodes) { continue }
                for (index, block) in blocks.enumerated() {
                    guard case .all(let children, _) = block else { continue }
                    let path = "\(keyPath)[\(index)]"
                    if children.count > 1, warnIfConstant(block, at: path, judges: judges, nodes: nodes) { continue }
                    warnConstantParts(children, judges: judges, nodes: nodes)
                }
            case .not(let inner, let keyPath):
                if warnIfConstant(condition, at: keyPath, judges: judges, nodes: nodes) { continue }
                if case .all(let children, _) = inner { warnConstantParts(children, judges: judges, nodes: nodes) }
            case .all(let children, _):
                warnConstantParts(children, judges: judges, nodes: nodes)
            }
        }
    }

    /// Warns at `keyPath` when `condition` has the same definite answer for every kind.
    private func warnIfConstant(
        _ condition: Condition, at keyPath: String, judges: [ConditionJudge], nodes: [String: YAMLNode]
    ) -> Bool {
        let verdicts = judges.map { ($0.kind, $0.verdict(condition, at: keyPath)) }
        guard constantAnswer(verdicts) != nil, let at = nodes[keyPath] else { return false }
        document.report("this condition holds for " + describe(verdicts), at: at, severity: .warning)
        return true
    }

    private func constantAnswer(_ verdicts: [(EventKind, ConditionVerdict)]) -> ConditionVerdict.Answer? {
        guard let answer = verdicts.first?.1.answer, answer != .depends,
            verdicts.allSatisfy({ $0.1.answer == answer })
        else { return nil }
        return answer
    }

    /// `every artifact.deployed event, because …; and no build.uploaded event, because …`: kinds
    /// with the same verdict and reason named together, in order.
    private func describe(_ verdicts: [(EventKind, ConditionVerdict)]) -> String {
        var groups: [(verdict: ConditionVerdict, kinds: [EventKind])] = []
        for (kind, verdict) in verdicts {
            if let index = groups.firstIndex(where: { $0.verdict == verdict }) {
                groups[index].kinds.append(kind)
            } else {
                groups.append((verdict, [kind]))
            }
        }
        return groups.map { group in
            let quantifier = group.verdict.answer == .always ? "every" : "no"
            return "\(quantifier) \(compactNames(group.kinds)) event, because \(group.verdict.reason)"
        }.joined(separator: "; and ")
    }

    /// A test of `field`, which none of `kinds` carries, never holds.
    private func absentFieldMessage(_ field: EventField, _ kinds: [EventKind]) -> String {
        if case .data = field {
            return "\(field) is never sent with \(names(kinds)) events; this condition never holds"
        }
        return "\(names(kinds)) events carry no \(field); this condition never holds"
    }
}

import ArtifactoryEvents
import YAMLDiagnostics

/// How far a rule's destructive actions reach: a `delete` or `move` of the event's item whose
/// rule names no repository in `when:` acts in every repository.
extension RuleScope {
    /// Warns at each `delete` or `move` of `do:` that acts on the event's item (no `repo:` beside
    /// it; no `for_each:` but `{children: true}`) when `when:` has no top-level `repo:` or
    /// `data.repo_key:` test that picks repositories, saying how many kinds of event it takes
    /// items from.
    func checkRepositoryReach(_ condition: Condition, actions node: YAMLNode?) {
        guard let items = node?.items, !condition.namesRepository else { return }
        let itemDomains = EventField.repo.domains ?? []
        var kinds: [EventKind] = []
        var open = false
        for selector in selectors {
            guard let known = selector.knownKinds else {
                open = true
                continue
            }
            for kind in known where itemDomains.contains(kind.domain) && !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { return }
        var reach = "\(kinds.count) kind\(kinds.count == 1 ? "" : "s") (\(compactNames(kinds)))"
        if open { reach += " and kinds this version does not know" }
        for item in items {
            guard let entries = item.entries else { continue }
            // A for_each over a build's artifacts or a query acts on what it finds, not on the
            // event's item; over the event's folder it reaches as far as the event does.
            if let forEach = entries.first(where: { $0.key == "for_each" }),
                forEach.value.entries?.first?.key != "children"
            {
                continue
            }
            // A for_each block's actions are under its do:.
            let actions = entries.first(where: { $0.key == "do" })?.value.items?.compactMap(\.entries) ?? [entries]
            for action in actions {
                guard let verb = action.first(where: { $0.key == "delete" || $0.key == "move" }),
                    !action.contains(where: { $0.key == "repo" })
                else { continue }
                document.report(
                    "\(verb.key) acts on the item of every event this rule takes, of \(reach), in any repository; "
                        + "add a repo: condition to when:", at: verb.keyNode, severity: .warning)
            }
        }
    }
}

extension Condition {
    /// Whether the condition has a top-level `repo:` or `data.repo_key:` test that picks
    /// repositories (not one that only excludes some with `{not: …}`).
    fileprivate var namesRepository: Bool {
        guard case .all(let conditions, _) = self else { return false }
        return conditions.contains { condition in
            // A file's shared defaults.when: stands as a block of its own.
            if case .all = condition { return condition.namesRepository }
            guard case .field(let field, let matcher, _) = condition else { return false }
            return (field == .repo || field == .data(["repo_key"])) && !matcher.excludes
        }
    }
}

extension ValueMatcher {
    /// Whether the matcher holds for values by not matching something.
    fileprivate var excludes: Bool {
        switch self {
        case .not: true
        case .anyOf(let matchers): matchers.contains(where: \.excludes)
        default: false
        }
    }
}

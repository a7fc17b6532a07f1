import ArtifactoryEvents
import ArtifactoryRequests
import YAMLDiagnostics

extension RuleScope {
    /// Keys that may stand beside an action's own key, by action.
    static func siblingKeys(of kind: PlannedAction.Kind) -> [String] {
        RuleFileSchema.siblings(of: kind).map(\.name)
    }

    static var promotionKeys: [String] { RuleFileSchema.promotion.keyNames }

    static var transferKeys: [String] { RuleFileSchema.transfer.keyNames }

    /// Reads `do:`: a non-empty list of actions.
    func readActions(_ node: YAMLNode?, rule: YAMLNode) -> [ActionSpec] {
        guard let node, !node.isNull else {
            document.report("a rule needs do: with at least one action", at: rule)
            return []
        }
        guard let items = node.items else {
            document.report("do: takes a list of actions, found \(node.typeName)", at: node)
            return []
        }
        if items.isEmpty { document.report("do: needs at least one action", at: node) }
        return items.compactMap(readAction)
    }

    /// The action keys of a rule file: every kind but the block's own ``PlannedAction/Kind/forEach``.
    static let actionKinds = RuleFileSchema.actionKinds

    /// Reads one entry of a `do:` list: an action, or a `for_each` of one action or of a block.
    func readAction(_ node: YAMLNode) -> ActionSpec? {
        var action: ActionSpec?
        if let forEachEntry = node.entries?.first(where: { $0.key == "for_each" }) {
            guard !inForEach else {
                document.report(
                    "for_each cannot stand inside a for_each block; its actions already run once per item",
                    at: forEachEntry.keyNode)
                return nil
            }
            action = readGuardedForEach(node)
        } else {
            action = readGuardedAction(node)
        }
        // Inside a for_each block the keys are refused as unknown: its entry throttles the block.
        if !inForEach { action?.throttle = readThrottle(node) }
        return action
    }

    /// Keys beside an action of `do:` (not inside a `for_each` block) for its throttle.
    var actionThrottleKeys: [String] { inForEach ? [] : Self.throttleKeys }

    /// Reads an action with its own key and sibling keys, and `extraKeys` allowed beside them.
    func readSingleAction(_ node: YAMLNode, besides extraKeys: [String]) -> ActionSpec? {
        guard let map = YAMLMappingReader(node, in: document), let entries = node.entries else { return nil }
        let names = Self.actionKinds.map(\.rawValue)
        let present = entries.filter { names.contains($0.key) }
        guard present.count == 1, let kind = PlannedAction.Kind(rawValue: present[0].key) else {
            if present.isEmpty {
                // An unknown key is reported with a did-you-mean; only without one say what is missing.
                let targets = Set(Self.actionKinds.flatMap(Self.siblingKeys(of:))).sorted() + extraKeys
                let known = names + targets
                reportUnknownKeys(of: node, actions: names, targets: targets)
                if entries.allSatisfy({ known.contains($0.key) }) {
                    document.report("an action needs one of \(names.joined(separator: ", "))", at: node)
                }
            } else {
                document.report(
                    "one action per list item; found \(present.map(\.key).joined(separator: " and ")); "
                        + "start another item with \"-\"", at: present[1].keyNode)
            }
            return nil
        }
        map.rejectUnknownKeys([kind.rawValue] + Self.siblingKeys(of: kind) + extraKeys)
        let value = present[0].value
        var target = ActionSpec.ArtifactTarget()
        let actsOnItem = kind.actsOnItem
        if actsOnItem {
            target.repo = map.value("repo").flatMap { readRepoTemplate($0, what: "a repository key") }
            target.path = map.value("path").flatMap { readPathTemplate($0, what: "an item path") }
        }
        let recursive = map.boolean("recursive") ?? false
        let operation: ActionSpec.Operation?
        switch kind {
        case .setProperties:
            operation = readProperties(value, key: kind.rawValue).map { .setProperties($0, recursive: recursive) }
        case .deleteProperties:
            operation = readPropertyKeys(value).map { .deleteProperties($0, recursive: recursive) }
        case .promoteBuild:
            let build = ActionSpec.BuildTarget(
                name: map.value("build_name").flatMap { readBuildPart($0, what: "a build name") },
                number: map.value("build_number").flatMap { readBuildPart($0, what: "a build number") })
            checkBuildFit(build, at: present[0].keyNode)
            operation = readPromotion(value).map { .promoteBuild(build, $0) }
        case .copy:
            operation = readTransfer(value, kind: kind).map { .copy($0) }
        case .move:
            operation = readTransfer(value, kind: kind).map { .move($0) }
        case .delete:
            if !value.isNull, value.entries?.isEmpty != true {
                document.report("delete: takes no options; write \"delete: {}\"", at: value)
            }
            operation = .delete
        case .artifactory, .platform:
            operation = readGenericCall(value, kind: kind).map { .call($0) }
        case .http:
            operation = readHTTPCall(value).map { .call($0) }
        case .forEach:
            operation = nil
        }
        // Inside a for_each the found item is the default target.
        if actsOnItem, !inForEach { checkArtifactFit(kind, target, at: present[0].keyNode) }
        if inForEach, !actsOnItem {
            document.report(
                "for_each runs item actions (set_properties, delete_properties, copy, move, delete); "
                    + "\(kind) acts on no found item", at: present[0].keyNode)
            return nil
        }
        return operation.map { ActionSpec(operation: $0, target: target) }
    }

    // MARK: Targets

    private func readRepoTemplate(_ node: YAMLNode, what: String) -> Template? {
        guard let template = readTemplate(node, what: what) else { return nil }
        if template.expressions.isEmpty {
            checkRepositoryKey(template.source, at: node)
            return template
        }
        let skeleton = template.skeleton(placeholder: "x")
        if skeleton.contains("/") || skeleton == "." || skeleton == ".." {
            document.report(
                "\"\(template)\" is not a repository key: one name, without \"/\", and not \".\" or \"..\"", at: node)
        }
        return template
    }

    /// Reports a repository key written in the rule file that Artifactory would not accept (a
    /// templated one is checked when planning).
    private func checkRepositoryKey(_ key: String, at node: YAMLNode) {
        if let problem = RepositoryKey.problem(key) {
            document.report("\"\(key)\" is not a repository key: \(problem)", at: node)
        }
    }

    private func readPathTemplate(_ node: YAMLNode, what: String) -> Template? {
        guard let template = readTemplate(node, what: what) else { return nil }
        checkSegments(template, at: node)
        return template
    }

    func readBuildPart(_ node: YAMLNode, what: String) -> Template? {
        guard let template = readTemplate(node, what: what) else { return nil }
        let skeleton = template.skeleton(placeholder: "x")
        if skeleton == "." || skeleton == ".." { document.report("\(what) cannot be \"\(skeleton)\"", at: node) }
        return template
    }

    /// Reports `.` and `..` segments written in the template itself (values are checked when planning).
    private func checkSegments(_ template: Template, at node: YAMLNode) {
        let segments = template.skeleton(placeholder: "x").split(separator: "/")
        if let bad = segments.first(where: { $0 == "." || $0 == ".." }) {
            document.report(
                "\"\(template)\" has a \"\(bad)\" segment; a path never leaves its repository", at: node)
        }
    }

    /// An artifact action needs the event's item unless it names `repo:` and `path:` itself.
    private func checkArtifactFit(_ kind: PlannedAction.Kind, _ target: ActionSpec.ArtifactTarget, at node: YAMLNode) {
        guard target.repo == nil || target.path == nil else { return }
        let itemDomains = EventField.repo.domains ?? []
        checkFit(
            itemDomains, at: node,
            error: { "\(kind) acts on an item, but \($0) events name none; give the action repo: and path:" },
            warning: { "\(kind) acts on an item, but \($0) events name none; their plans will fail" })
    }

    /// `promote_build` needs the event's build run unless it names `build_name:` and `build_number:`.
    func checkBuildFit(_ build: ActionSpec.BuildTarget, at node: YAMLNode) {
        guard build.name == nil || build.number == nil else { return }
        checkFit(
            [.build], at: node,
            error: {
                "promote_build acts on a build run, but \($0) events carry no build_name/build_number; "
                    + "give the action build_name: and build_number:"
            },
            warning: { "promote_build acts on a build run, but \($0) events carry none; their plans will fail" })
    }

    func checkFit(
        _ domains: Set<EventDomain>, at node: YAMLNode, error: (String) -> String, warning: (String) -> String
    ) {
        var fitting = false
        var open = false
        var lacking: [EventKind] = []
        for selector in selectors {
            switch selector {
            case .kind(let kind):
                if domains.contains(kind.domain) {
                    fitting = true
                } else if case .unknown = kind.domain {
                    open = true
                } else {
                    lacking.append(kind)
                }
            case .domain(let domain):
                if domains.contains(domain) {
                    fitting = true
                } else if let kinds = selector.knownKinds {
                    lacking += kinds
                } else {
                    open = true
                }
            }
        }
        guard !lacking.isEmpty else { return }
        let kinds = names(lacking)
        if fitting || open {
            document.report(warning(kinds), at: node, severity: .warning)
        } else {
            document.report(error(kinds), at: node)
        }
    }

    // MARK: Operations

    /// `{KEY: VALUE | [VALUES]}` with literal keys and templated values.
    func readProperties(_ node: YAMLNode, key: String) -> [ActionSpec.Property]? {
        guard let entries = node.entries else {
            document.report("\(key) takes a mapping of property names to values, found \(node.typeName)", at: node)
            return nil
        }
        if entries.isEmpty { document.report("\(key) needs at least one property", at: node) }
        var properties: [ActionSpec.Property] = []
        for entry in entries {
            checkPropertyKey(entry.key, at: entry.keyNode)
            let valueNodes = entry.value.items ?? [entry.value]
            if valueNodes.isEmpty { document.report("a property needs at least one value", at: entry.value) }
            let values = valueNodes.compactMap { readTemplate($0, what: "a property value") }
            properties.append(ActionSpec.Property(key: entry.key, values: values))
        }
        return properties
    }

    private func readPropertyKeys(_ node: YAMLNode) -> [String]? {
        let items = node.items ?? [node]
        if items.isEmpty { document.report("delete_properties needs at least one property name", at: node) }
        var keys: [String] = []
        for item in items {
            guard let key = item.scalar, !item.isNull, !key.isEmpty else {
                document.report("expected a property name, found \(item.typeName)", at: item)
                continue
            }
            checkPropertyKey(key, at: item)
            keys.append(key)
        }
        return keys
    }

    /// JFrog forbids `)(}{][*+^$\/~`!@#%&<>;=,±§` and the space in property keys.
    private func checkPropertyKey(_ key: String, at node: YAMLNode) {
        if key.isEmpty { document.report("a property name cannot be empty", at: node) }
        if let bad = key.first(where: { ArtifactoryRequest.forbiddenPropertyKeyCharacters.contains($0) }) {
            let shown = bad == " " ? "a space" : "\"\(bad)\""
            document.report("property name \"\(key)\" contains \(shown), which Artifactory forbids in keys", at: node)
        }
        if key.contains("{{") { document.report("property names are literal; templates go in values", at: node) }
    }

    private func readPromotion(_ node: YAMLNode) -> ActionSpec.Promotion? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        map.rejectUnknownKeys(Self.promotionKeys)
        func text(_ key: String, _ what: String) -> Template? {
            map.value(key).flatMap { readTemplate($0, what: what) }
        }
        var promotion = ActionSpec.Promotion()
        promotion.status = text("status", "a build status")
        promotion.comment = text("comment", "a comment")
        promotion.ciUser = text("ci_user", "a user name")
        promotion.sourceRepo = map.value("source_repo").flatMap { readRepoTemplate($0, what: "a repository key") }
        promotion.targetRepo = map.value("target_repo").flatMap { readRepoTemplate($0, what: "a repository key") }
        promotion.project = text("project", "a project key")
        promotion.dryRun = map.boolean("dry_run")
        promotion.copy = map.boolean("copy")
        promotion.artifacts = map.boolean("artifacts")
        promotion.dependencies = map.boolean("dependencies")
        promotion.failFast = map.boolean("fail_fast")
        if let scopes = map.value("scopes") {
            let items = scopes.items ?? [scopes]
            promotion.scopes = items.compactMap { readTemplate($0, what: "a scope name") }
        }
        if let properties = map.value("properties") {
            promotion.properties = readProperties(properties, key: "properties")
        }
        if map.value("status") == nil, map.value("target_repo") == nil {
            document.report("promote_build needs status: or target_repo: (or both)", at: node)
        }
        return promotion
    }

    private func readTransfer(_ node: YAMLNode, kind: PlannedAction.Kind) -> ActionSpec.Transfer? {
        guard let map = YAMLMappingReader(node, in: document), let entries = node.entries else { return nil }
        for entry in entries where entry.key == "repo" || entry.key == "path" {
            document.report(
                "\"\(entry.key)\" chooses the item to \(kind); write it beside \"\(kind):\", not inside it",
                at: entry.keyNode)
        }
        map.rejectUnknownKeys(Self.transferKeys + ["repo", "path"])
        guard let toNode = map.value("to") else {
            document.report("\(kind) needs to: with the target REPO/PATH", at: node)
            return nil
        }
        guard let to = readTemplate(toNode, what: "a target REPO/PATH") else { return nil }
        checkSegments(to, at: toNode)
        // U+FFFF never appears in rule text: a first segment without it is written out in full.
        let segments = to.skeleton(placeholder: "\u{FFFF}").split(separator: "/")
        if let repo = segments.first {
            if !repo.contains("\u{FFFF}"), repo != ".", repo != ".." { checkRepositoryKey(String(repo), at: toNode) }
        } else {
            document.report("to: must start with the target repository", at: toNode)
        }
        return ActionSpec.Transfer(
            to: to, dryRun: map.boolean("dry_run"), suppressLayouts: map.boolean("suppress_layouts"),
            failFast: map.boolean("fail_fast"))
    }
}

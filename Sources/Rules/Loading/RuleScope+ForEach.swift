import ArtifactoryEvents
import ArtifactoryRequests
import YAMLDiagnostics

extension RuleScope {
    /// The `for_each` sources, as rule files name them.
    static let forEachSources = RuleFileSchema.forEachSources

    /// The keys of a `for_each:` entry besides its actions: itself, `max_items`, `require`, and for
    /// `build_artifacts` the build run's `build_name`/`build_number`.
    private func forEachKeys(_ map: YAMLMappingReader) -> [String] {
        let build = map.value("for_each")?.scalar == "build_artifacts" ? RuleFileSchema.buildKeys : []
        return (RuleFileSchema.forEachKeys + build).map(\.name) + actionThrottleKeys
    }

    /// Reads a `do:` entry with `for_each:`: either one item action beside it
    /// (`- set_properties: {…}` / `for_each: build_artifacts`), or a block of item actions under
    /// its own `do:`, all run for each item, in order.
    func readForEach(_ node: YAMLNode) -> ActionSpec? {
        guard let map = YAMLMappingReader(node, in: document) else { return nil }
        var inner = self
        inner.inForEach = true
        let keys = forEachKeys(map)
        var actions: [ActionSpec]?
        if let block = map.value("do") {
            let actionNames = Self.actionKinds.map(\.rawValue)
            if let beside = node.entries?.first(where: { actionNames.contains($0.key) }) {
                document.report(
                    "a for_each block runs the actions listed under its do:; "
                        + "move \"\(beside.key)\" into that list", at: beside.keyNode)
                return nil
            }
            map.rejectUnknownKeys(keys + ["do"])
            guard let items = block.items, !items.isEmpty else {
                document.report("a for_each block's do: takes a non-empty list of item actions", at: block)
                return nil
            }
            let read = items.compactMap { inner.readAction($0) }
            if read.count == items.count { actions = read }
        } else {
            actions = inner.readSingleAction(node, besides: keys).map { [$0] }
        }
        guard let source = readSource(map) else { return nil }
        return actions.map {
            ActionSpec(operation: .forEach(source.with(actions: $0)), target: ActionSpec.ArtifactTarget())
        }
    }

    /// The query of a `for_each:` and its `max_items:`, with no actions yet.
    private struct ForEachSource {
        var source: ActionSpec.ForEach.Source
        var maxItems: Int?

        func with(actions: [ActionSpec]) -> ActionSpec.ForEach {
            ActionSpec.ForEach(source: source, maxItems: maxItems, actions: actions)
        }
    }

    /// Reads `for_each:` (`build_artifacts`, `{aql: 'items.find(…)…'}` or `{children: true}`) and
    /// `max_items:`.
    private func readSource(_ map: YAMLMappingReader) -> ForEachSource? {
        guard let node = map.value("for_each") else { return nil }
        var maxItems: Int?
        if let limitNode = map.value("max_items") {
            // A value that is not a whole number is reported by the reader.
            guard let limit = map.integer("max_items") else { return nil }
            guard limit >= 1 else {
                document.report("max_items must be at least 1", at: limitNode)
                return nil
            }
            maxItems = limit
        }
        // The query is rendered for the event: it cannot name the items it finds.
        var outer = self
        outer.inForEach = false
        if let text = node.scalar, !node.isNull, node.entries == nil {
            guard text == "build_artifacts" else {
                reportUnknownSource(text, at: node)
                return nil
            }
            let build = ActionSpec.BuildTarget(
                name: map.value("build_name").flatMap { outer.readBuildPart($0, what: "a build name") },
                number: map.value("build_number").flatMap { outer.readBuildPart($0, what: "a build number") })
            outer.checkBuildFit(build, at: node)
            return ForEachSource(source: .buildArtifacts(build), maxItems: maxItems)
        }
        guard let entries = node.entries, entries.count == 1, let entry = entries.first else {
            document.report("for_each takes build_artifacts, {aql: 'items.find(…)'} or {children: true}", at: node)
            return nil
        }
        switch entry.key {
        case "aql":
            guard let query = outer.readTemplate(entry.value, what: "an AQL query", literalClosingBraces: true) else {
                return nil
            }
            guard checkQuery(query, at: entry.value) else { return nil }
            return ForEachSource(source: .aql(query), maxItems: maxItems)
        case "children":
            guard entry.value.scalar == "true" else {
                document.report("children: takes true", at: entry.value)
                return nil
            }
            let itemDomains = EventField.repo.domains ?? []
            outer.checkFit(
                itemDomains, at: node,
                error: { "for_each: {children: true} lists an event's folder, but \($0) events name none" },
                warning: { "for_each: {children: true} lists an event's folder, but \($0) events name none" })
            return ForEachSource(source: .children, maxItems: maxItems)
        default:
            reportUnknownSource(entry.key, at: entry.keyNode)
            return nil
        }
    }

    private func reportUnknownSource(_ text: String, at node: YAMLNode) {
        var message =
            "unknown for_each source \"\(text)\"; use build_artifacts, {aql: 'items.find(…)'} or {children: true}"
        if let suggestion = closest(to: text, in: Self.forEachSources) {
            message += "; did you mean \"\(suggestion)\"?"
        }
        document.report(message, at: node)
    }

    /// Reports an AQL template that is not `items.find(…)` with the fan-out's modifiers, that does
    /// not balance, or that puts a `{{ … }}` outside a quoted string (where escaping could not keep
    /// a value from changing the query's shape).
    private func checkQuery(_ query: Template, at node: YAMLNode) -> Bool {
        // U+FFFF never appears in rule text: it marks where each value goes.
        let marked = query.skeleton(placeholder: "\u{FFFF}")
        var strings = JSONStringTracker()
        for character in marked {
            if !strings.take(character), character == "\u{FFFF}" {
                document.report(
                    "every {{ … }} in an AQL query must stand inside a quoted JSON string, "
                        + "such as \"{{ data.build_name }}\"", at: node)
                return false
            }
        }
        do {
            _ = try AQLText(query.skeleton(placeholder: "x"))
        } catch {
            document.report("bad AQL query: \(error)", at: node)
            return false
        }
        return true
    }
}

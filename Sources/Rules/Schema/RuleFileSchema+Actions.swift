import ArtifactoryRequests
import YAMLDiagnostics

/// The entries of `do:`: each action's own key and value, the keys beside it, and `for_each`.
extension RuleFileSchema {
    /// The action keys of a rule file: every kind but the block's own ``PlannedAction/Kind/forEach``.
    static let actionKinds = PlannedAction.Kind.allCases.filter { $0 != .forEach }

    /// A `do:` entry: an action, or a `for_each`.
    static let entry = SchemaNode.anyOf([.reference("action"), .reference("forEach")])

    /// One action of `kinds` with the keys beside it and its own `require:` (and `throttled`: its
    /// `once_within:`/`key:`); exactly one action key.
    static func action(of kinds: [PlannedAction.Kind], throttled: Bool) -> SchemaNode {
        .anyOf(kinds.map { .mapping(actionMapping($0, besides: [requireKey] + (throttled ? throttleKeys : []))) })
    }

    /// `once_within:` and `key:`, on a rule, an action of `do:` or a `for_each` entry.
    static let throttleKeys: [SchemaMapping.Key] = [
        .init(
            "once_within",
            .text(
                "Plan at most once within this window per key: a whole number and s, m, h or d (10m).",
                pattern: "^[0-9]+[smhd]$")),
        .init("key", .text("The throttle's key, a template (default: the event's subject); needs once_within.")),
    ]

    /// `require:` beside an action.
    static let requireKey = SchemaMapping.Key(
        "require", .reference("guard", "Conditions read from Artifactory before this action runs."))

    /// The mapping of an action of `kind`: its key (required), the keys beside it, and `extra`.
    static func actionMapping(_ kind: PlannedAction.Kind, besides extra: [SchemaMapping.Key]) -> SchemaMapping {
        SchemaMapping([.init(kind.rawValue, operation(of: kind), required: true)] + siblings(of: kind) + extra)
    }

    /// Keys that may stand beside an action's own key, by action.
    static func siblings(of kind: PlannedAction.Kind) -> [SchemaMapping.Key] {
        let repo = SchemaMapping.Key("repo", .text("The repository of the item acted on (default: the event's)."))
        let path = SchemaMapping.Key("path", .text("The path of the item acted on (default: the event's)."))
        switch kind {
        case .setProperties, .deleteProperties:
            return [repo, path, .init("recursive", .boolean("Also the items under a folder (default false)."))]
        case .copy, .move, .delete:
            return [repo, path]
        case .promoteBuild:
            return buildKeys
        case .artifactory, .platform, .http, .forEach:
            return []
        }
    }

    /// `build_name:` and `build_number:`: the build run acted on (default: the event's).
    static let buildKeys: [SchemaMapping.Key] = [
        .init("build_name", .text("The build's name (default: the event's).")),
        .init("build_number", .scalar("The build's number (default: the event's).")),
    ]

    /// The value of an action's own key.
    static func operation(of kind: PlannedAction.Kind) -> SchemaNode {
        switch kind {
        case .setProperties:
            return .mapping(
                properties, "Sets properties on the item: NAME: VALUE or NAME: [VALUES], templates allowed.")
        case .deleteProperties:
            return .anyOf(
                [.text(), .list(.text(), minItems: 1)], "Deletes these properties (names) from the item.")
        case .promoteBuild:
            return .mapping(promotion, "Promotes a build run (Artifactory's build promotion).")
        case .copy:
            return .mapping(transfer, "Copies the item to to: REPO/PATH.")
        case .move:
            return .mapping(transfer, "Moves the item to to: REPO/PATH.")
        case .delete:
            return .anyOf(
                [SchemaNode(.nothing), .mapping(SchemaMapping([]))], "Deletes the item; takes no options: {}.")
        case .artifactory:
            return .mapping(genericCall, "A call under the Artifactory base URL, spelt out.")
        case .platform:
            return .mapping(genericCall, "A call under the JFrog Platform's base URL, spelt out.")
        case .http:
            return .mapping(httpCall, "A call to an outbound target named in the config's targets:.")
        case .forEach:
            return .anything()
        }
    }

    /// Property names to a value or a list of values.
    static let properties = SchemaMapping(
        [], otherKeys: .anyOf([.scalar(), .list(.scalar(), minItems: 1)], "A value or a list of values."), minKeys: 1)

    /// `promote_build:`'s options, as Artifactory's build promotion names them.
    static let promotion = SchemaMapping([
        .init("status", .text("The promotion status recorded, such as released.")),
        .init("target_repo", .text("The repository the build's items go to.")),
        .init("source_repo", .text("Only items of this repository.")),
        .init("copy", .boolean("Copy the items instead of moving them.")),
        .init("artifacts", .boolean("Promote the build's artifacts.")),
        .init("dependencies", .boolean("Promote the build's dependencies.")),
        .init("scopes", .anyOf([.text(), .list(.text())], "Only dependencies of these scopes.")),
        .init("comment", .text("The promotion's comment.")),
        .init("ci_user", .text("The user recorded as promoting (default artifactory-hooks).")),
        .init("properties", .mapping(properties, "Properties set on the promoted items.")),
        .init("fail_fast", .boolean("Stop at the first error.")),
        .init("dry_run", .boolean("Only check that it would succeed.")),
        .init("project", .text("The JFrog project key of the build.")),
    ])

    /// `copy:` and `move:`'s options.
    static let transfer = SchemaMapping([
        .init("to", .text("The target REPO/PATH; templates allowed."), required: true),
        .init("dry_run", .boolean("Only check that it would succeed.")),
        .init("suppress_layouts", .boolean("Do not translate the path between repository layouts.")),
        .init("fail_fast", .boolean("Stop at the first error.")),
    ])

    static let query = SchemaNode.mapping(
        SchemaMapping([], otherKeys: .scalar("A value; templates allowed.")), "Query parameters: NAME: VALUE.")

    static let contentType = SchemaNode.text("The body's content type.")

    /// `artifactory:` and `platform:`.
    static let genericCall = SchemaMapping([
        .init("method", .reference("method", "The HTTP method."), required: true),
        .init(
            "path", .text("The API path relative to the base URL, such as api/…; segments are encoded."), required: true
        ),
        .init("query", query),
        .init(
            "body",
            .anyOf(
                [.text(), .mapping(SchemaMapping([], otherKeys: .anything())), .list(.anything())],
                "A text, or a mapping or list sent as JSON.")),
        .init("content_type", contentType),
    ])

    /// `http:`.
    static let httpCall = SchemaMapping([
        .init("target", .text("The name of a target of the config's targets:."), required: true),
        .init("method", .reference("method", "The HTTP method."), required: true),
        .init("path", .text("A path under the target's URL (default: the URL itself); segments are encoded.")),
        .init("query", query),
        .init(
            "json",
            .anyOf(
                [.mapping(SchemaMapping([], otherKeys: .anything())), .list(.anything()), .choice(["event"])],
                "A body built as JSON (templates in strings), or event: the event itself.")),
        .init("body", .text("A text body; give json: for JSON.")),
        .init(
            "headers",
            .mapping(SchemaMapping([], otherKeys: .scalar()), "Headers: NAME: VALUE (not those the client sets).")),
        .init("content_type", contentType),
    ])

    /// The methods a rule's call may use, in either case.
    static var method: SchemaNode {
        let names = GenericCall.methods.map(\.rawValue)
        let anyCase = names.map { name in
            name.map { "[\($0)\($0.lowercased())]" }.joined()
        }
        return .anyOf([.choice(names), .text(pattern: "^(" + anyCase.joined(separator: "|") + ")$")])
    }

    // MARK: for_each

    /// The `for_each` sources, as rule files name them.
    static let forEachSources = ["build_artifacts", "aql", "children"]

    /// The keys of a `for_each` entry besides its actions.
    static let forEachKeys: [SchemaMapping.Key] = [
        .init(
            "for_each",
            .anyOf(
                [
                    .choice(["build_artifacts"], "The artifacts of the event's build run."),
                    .mapping(SchemaMapping([.init("aql", .text("An items.find(…) query."), required: true)])),
                    .mapping(
                        SchemaMapping([
                            .init("children", .boolean("The items under the event's folder."), required: true)
                        ])),
                ], "Runs the item action(s) once per item found: build_artifacts, {aql: …} or {children: true}."),
            required: true),
        .init("max_items", .integer("The most items acted on.", minimum: 1)),
        .init("require", .reference("guard", "Conditions read before the items are listed, or per item.")),
    ]

    /// A `for_each` entry: one item action beside it, or a block of them under `do:`.
    static var forEach: SchemaNode {
        let block = SchemaMapping(
            forEachKeys + buildKeys + throttleKeys + [
                .init(
                    "do", .list(.reference("itemAction"), minItems: 1, "Item actions run for each item."),
                    required: true)
            ])
        let single = actionKinds.filter(\.actsOnItem).map {
            SchemaNode.mapping(actionMapping($0, besides: forEachKeys + buildKeys + throttleKeys))
        }
        return .anyOf([.mapping(block)] + single)
    }
}

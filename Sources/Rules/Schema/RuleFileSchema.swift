import ArtifactoryEvents
public import YAMLDiagnostics

/// The structure of a rule file: the one list of its keys, their value kinds and their help. The
/// reader takes its known keys from here (so an unknown key is reported by both), and
/// `rules schema` renders it as the JSON Schema editors use (``document``).
///
/// A key a rule file may hold is added here, with its value and description; the reader then
/// accepts it and the schema lists it. What depends on several values or on the event catalog
/// (a field no kind carries, a template's fields, a repository key Artifactory refuses) stays with
/// the reader.
public enum RuleFileSchema {
    /// The JSON Schema document of a rule file.
    public static var document: SchemaDocument {
        SchemaDocument(
            title: "artifactory-hooks rule file",
            description:
                "Rules that act on Artifactory webhook events. See docs/rules.md; "
                + "`artifactory-hooks rules check` checks what a schema cannot (fields, templates, repository keys).",
            root: .mapping(file),
            definitions: [("rule", .mapping(rule)), ("eventKind", eventKind)] + conditionDefinitions + [
                ("guard", .mapping(guardMapping)),
                ("entry", entry),
                ("action", action(of: actionKinds, throttled: true)),
                ("itemAction", action(of: actionKinds.filter(\.actsOnItem), throttled: false)),
                ("forEach", forEach),
                ("method", method),
            ])
    }

    /// The top of a file.
    static let file = SchemaMapping([
        .init(
            "defaults",
            .mapping(defaults, "What every rule of the file shares: a when: that each rule adds to its own.")),
        .init(
            "rules", .list(.reference("rule"), "The rules of the file, each with name:, on: and do:."), required: true),
    ])

    /// `defaults:`.
    static let defaults = SchemaMapping([
        .init(
            "when", .reference("condition", "Conditions every rule of the file adds to its own when: (both hold)."),
            required: true)
    ])

    /// One rule.
    static let rule = SchemaMapping(
        [
            .init(
                "name",
                .text(
                    "The rule's name, unique across the rules directory: letters, digits, -, _ and .",
                    pattern: namePattern),
                required: true),
            .init("description", .text("Free text: what the rule is for.")),
            .init("enabled", .boolean("false turns the rule off without deleting it (default true).")),
            .init(
                "on",
                .anyOf(
                    [.reference("eventKind"), .list(.reference("eventKind"), minItems: 1)],
                    "The event kinds the rule takes: DOMAIN.EVENT_TYPE (artifact.deployed) or DOMAIN.*; one or a list."),
                required: true),
            .init(
                "on_self_caused",
                .boolean("true also takes events the daemon's own calls caused (default false: loop guard).")),
            .init(
                "mode",
                .choice(
                    RuleMode.allCases.map(\.rawValue),
                    "live sends the rule's calls; shadow only records them (default: the config's rules.mode).")),
            .init(
                "when", .reference("condition", "Conditions on the event; all must hold. Absent: every event of on:.")),
            .init(
                "require",
                .reference("guard", "Conditions read from Artifactory before each action runs (item.*, build.status).")),
        ] + throttleKeys + [
            .init(
                "do", .list(.reference("entry"), minItems: 1, "The actions, planned in order for each event taken."),
                required: true)
        ])

    /// A rule name: letters, digits, `-`, `_` and `.`.
    static let namePattern = "^[A-Za-z0-9._-]+$"

    /// An `on:` entry: a kind this version knows, a known domain's `DOMAIN.*`, or any other
    /// `DOMAIN.EVENT_TYPE` (the checker warns about those, as Artifactory may add kinds).
    static var eventKind: SchemaNode {
        let known = EventCatalog.kindNames.sorted() + EventDomain.known.map { "\($0.rawValue).*" }.sorted()
        return .anyOf(
            [
                .choice(known, "An event kind this version knows, or every kind of a domain."),
                .text(
                    "Another DOMAIN.EVENT_TYPE: matched if Artifactory sends it (rules check warns).",
                    pattern: "^[^.\\s]+\\.(\\*|[^*\\s]+)$"),
            ], "An event kind: DOMAIN.EVENT_TYPE or DOMAIN.*")
    }

    // MARK: Conditions

    /// The definitions a condition block refers to (`condition`, `value`, `matcher`): a rule's
    /// `when:`, and an endpoint's `accept:` in the config.
    public static var conditionDefinitions: [(name: String, node: SchemaNode)] {
        [("condition", .mapping(condition)), ("value", value), ("matcher", matcher)]
    }

    /// The keys that combine condition blocks, in `when:` and `require:`.
    static let combinators = ["any", "not"]

    /// A `when:` block: named fields, `data.FIELD`, `any:` and `not:`.
    static var condition: SchemaMapping {
        SchemaMapping(
            EventField.named.map { .init($0.key, .reference("value", "The event's \($0.key).")) }
                + combinatorKeys("condition"),
            patternKeys: [
                ("^data\\.[^.]+(\\.[^.]+)*$", .reference("value", "A member of the event's data, by its path."))
            ])
    }

    private static func combinatorKeys(_ block: String) -> [SchemaMapping.Key] {
        [
            .init("any", .list(.reference(block), minItems: 1, "Holds when any of these blocks holds.")),
            .init("not", .reference(block, "Holds when this block does not.")),
        ]
    }

    /// A condition's value: a value or glob, a list of them (any), or a matcher mapping.
    static let value = SchemaNode.anyOf(
        [
            .scalar("The exact value, or a glob (*, ?, **) for paths and names."),
            .list(.anyOf([.scalar(), .reference("matcher")]), minItems: 1, "Any of these values."),
            .reference("matcher"),
        ], "A value, a glob, a list (any of them), or {matches:}, {not:}, {min:, max:}.")

    /// The forms of a matcher mapping; exactly one per value.
    static let matcherForms: [SchemaMapping] = [
        SchemaMapping([
            .init("matches", .text("A regular expression; (?<NAME>…) captures {{ match.NAME }}."), required: true)
        ]),
        SchemaMapping([.init("not", .reference("value", "Holds when the value does not match."), required: true)]),
        SchemaMapping(
            [
                .init("min", .integer("The smallest number taken.")),
                .init("max", .integer("The largest number taken.")),
            ],
            minKeys: 1),
    ]

    /// Every key a matcher mapping may hold.
    static var matcherKeys: [String] { matcherForms.flatMap(\.keyNames) }

    static var matcher: SchemaNode { .anyOf(matcherForms.map { .mapping($0) }) }

    /// A `require:` block: the guard keys, `item.properties.KEY`, `any:` and `not:`.
    static var guardMapping: SchemaMapping {
        SchemaMapping(
            [
                .init("item.exists", .boolean("Whether the item exists in Artifactory now.")),
                .init("item.size", .reference("value", "The item's size in bytes, as Artifactory reports it now.")),
                .init("build.status", .reference("value", "The latest promotion status of the event's build run.")),
            ] + combinatorKeys("guard"),
            patternKeys: [
                (
                    "^item\\.properties\\..+$",
                    .reference("value", "A property of the item, as Artifactory holds it now.")
                )
            ])
    }
}

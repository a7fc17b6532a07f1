public import ArtifactoryEvents

/// One compiled rule: which events it takes (`on:`, `when:`) and what it plans for them (`do:`).
public struct Rule: Sendable {
    /// Unique across the rule directory; letters, digits, `-`, `_`, `.`.
    public let name: String
    /// `description:`, when given.
    public let description: String?
    /// `enabled:`; default `true`. A disabled rule is checked but never matches.
    public let enabled: Bool
    /// `on:`: the event kinds it takes.
    public let selectors: [KindSelector]
    /// `on_self_caused:`; default `false`: events caused by the daemon's own actions are skipped.
    public let onSelfCaused: Bool
    /// `mode:` (`live` or `shadow`), when given; without it the rule takes the config's
    /// `rules.mode` (``PlanContext/defaultMode``).
    public let mode: RuleMode?
    /// The file that defines it, as given to the loader.
    public let file: String
    /// The line of its `name:`.
    public let line: Int
    let condition: Condition
    let actions: [ActionSpec]
    /// `once_within:` and `key:` of the rule: one window for all its actions.
    let throttle: Throttle?
    /// Whether an action names a `{{ match.NAME }}`: only then are the captures taken.
    let usesCaptures: Bool

    init(
        name: String, description: String?, enabled: Bool, selectors: [KindSelector], onSelfCaused: Bool,
        mode: RuleMode? = nil, file: String, line: Int, condition: Condition, actions: [ActionSpec],
        throttle: Throttle? = nil
    ) {
        self.throttle = throttle
        self.name = name
        self.description = description
        self.enabled = enabled
        self.selectors = selectors
        self.onSelfCaused = onSelfCaused
        self.mode = mode
        self.file = file
        self.line = line
        self.condition = condition
        self.actions = actions
        let keys = ([throttle?.key] + actions.map { $0.throttle?.key }).compactMap { $0 }
        self.usesCaptures = (actions.flatMap(\.templates) + keys).contains { !$0.captureNames.isEmpty }
    }

    /// The kinds of its actions, in `do:` order.
    public var actionKinds: [PlannedAction.Kind] { actions.map(\.kind) }

    /// The mode the rule runs in: its own `mode:`, else `defaultMode` (the config's `rules.mode`).
    public func mode(default defaultMode: RuleMode) -> RuleMode { mode ?? defaultMode }

    /// Whether `on:` takes events of `kind`.
    public func selects(_ kind: EventKind) -> Bool {
        selectors.contains { $0.selects(kind) }
    }
}

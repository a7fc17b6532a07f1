public import ArtifactoryEvents
public import ArtifactoryRequests

/// One call to Artifactory's REST API that a rule planned for an event: what the worker sends,
/// exactly, and the subject whose jobs must run in order.
///
/// A job row stores it as JSON (``storedJSON``, members sorted):
/// `{"action_index":0,"kind":"set_properties","method":"PUT",
///   "path":"api/storage/libs-release-local/com/a.jar?properties=qa.status=pending&recursive=0",
///   "rule":"tag-release-jars","subject":"artifact:libs-release-local/com/a.jar"}`
/// (`body` and `content_type` appear when there is a body; `"base":"platform"` for a call under the
/// JFrog Platform's base URL, `"base":"target"` with `"target"` and `"headers"` for an `http` call,
/// no `base` for the Artifactory base URL; an expansion job's request also carries `for_each`, the
/// JSON text of its ``Expansion``; a guarded action `require`, the JSON text of its ``ActionGuard``).
public struct PlannedAction: Sendable, Hashable {
    /// The rule actions come from, in planning order.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        case setProperties = "set_properties"
        case deleteProperties = "delete_properties"
        case promoteBuild = "promote_build"
        case copy
        case move
        case delete
        /// A call the rule spells out, under the Artifactory base URL.
        case artifactory
        /// A call the rule spells out, under the JFrog Platform's base URL.
        case platform
        /// A call to an outbound target of the config (`http:`).
        case http
        /// The expansion job of a `for_each` block of several actions (one action's expansion takes
        /// that action's kind). Not an action key in rule files.
        case forEach = "for_each"

        public var description: String { rawValue }

        /// Whether the action acts on an item (the event's own, a found one, or one it names), so
        /// `repo:`/`path:` and `item.*` guards apply to it.
        public var actsOnItem: Bool {
            switch self {
            case .setProperties, .deleteProperties, .copy, .move, .delete: true
            case .promoteBuild, .artifactory, .platform, .http, .forEach: false
            }
        }
    }

    /// The rule that planned it.
    public var rule: String
    /// Its position in the rule's `do:` list, from 0.
    public var actionIndex: Int
    /// What the call does.
    public var kind: Kind
    /// The target's ordering key, the same text as `EventSubject.key`: `artifact:REPO/PATH` (the
    /// item acted on; for copy and move, the source) or `build:NAME#NUMBER`; for `artifactory:` and
    /// `platform:` calls, the event's own subject (`event:ID` when it has none).
    public var subject: String
    /// The exact request the worker sends, built by an endpoint factory of ``ArtifactoryRequest``.
    public var request: ArtifactoryRequest

    /// The events Artifactory sends when the call succeeds (loop guard). Not part of the request:
    /// the job row keeps them apart.
    public var effects: [ExpectedEffect] = []

    /// The mode of the rule that planned it: a `shadow` action is recorded as a job in state
    /// `shadow` and never sent. Not part of the request (``storedJSON``): the job's state keeps it.
    public var mode: RuleMode = .live

    /// For a `for_each`, the expansion job's child actions and limit: ``request`` is then the
    /// query, and ``kind`` the child's kind (``Kind/forEach`` for a block of several). `nil` for a
    /// plain call.
    public var expansion: Expansion?

    /// The action's guard (`require:`): what must hold in Artifactory just before the call, else
    /// the job is skipped. `nil` for an unguarded action. Stored in the request's `require` member.
    public var requirement: ActionGuard?

    /// The throttle window the action claims (`once_within:` beside it, else its rule's); `nil`
    /// when unthrottled. Not part of the request: the store decides the claim when it writes the
    /// event's jobs, and a refused one is recorded on the event instead of a job.
    public var throttle: ThrottleClaim?

    public init(
        rule: String, actionIndex: Int, kind: Kind, subject: String, request: ArtifactoryRequest,
        effects: [ExpectedEffect] = [], expansion: Expansion? = nil, requirement: ActionGuard? = nil
    ) {
        self.effects = effects
        self.expansion = expansion
        self.requirement = requirement
        self.rule = rule
        self.actionIndex = actionIndex
        self.kind = kind
        self.subject = subject
        self.request = request
    }
}

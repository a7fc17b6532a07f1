/// What the rules decided for one event: the rules that matched, the calls to make, and the
/// actions that could not be planned.
///
/// A rule's actions are planned all or nothing: when one of them fails (a template names a field
/// the event lacks, a path would leave its repository), the rule plans none and every failing
/// action is listed in ``failures``.
public struct Plan: Sendable, Hashable {
    /// One action that could not be planned.
    public struct Failure: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The rule whose action failed.
        public var rule: String
        /// The action's position in the rule's `do:` list, from 0.
        public var actionIndex: Int
        /// What the action would have done.
        public var kind: PlannedAction.Kind
        /// A short stable code (`missing_field`, `not_a_value`, `bad_path`, `missing_target`).
        public var code: RulesError.Code
        /// What went wrong, naming the field or value.
        public var message: String

        public init(rule: String, actionIndex: Int, kind: PlannedAction.Kind, code: RulesError.Code, message: String) {
            self.rule = rule
            self.actionIndex = actionIndex
            self.kind = kind
            self.code = code
            self.message = message
        }

        public var description: String { "\(rule) do[\(actionIndex)] \(kind): \(message)" }

        enum CodingKeys: String, CodingKey {
            case rule
            case actionIndex = "action_index"
            case kind
            case code
            case message
        }
    }

    /// Names of the rules that matched, in rule order (file name order, then order in the file).
    public var matchedRules: [String] = []
    /// The calls to make, in rule order then `do:` order.
    public var actions: [PlannedAction] = []
    /// Actions that could not be planned.
    public var failures: [Failure] = []
    /// Rules whose conditions held but that skipped the event because it is self-caused.
    public var skippedSelfCaused: [String] = []
    /// Whether the loop guard's hop limit stopped the event before any rule was tried.
    public var stoppedByHopLimit = false

    public init() {}
}

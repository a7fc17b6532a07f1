/// Whether one rule took one event, and if not, why: what `rules test --explain` prints.
public struct RuleExplanation: Sendable, Hashable, CustomStringConvertible {
    /// What happened to the rule.
    public enum Outcome: Sendable, Hashable {
        /// Every condition held; its actions were planned (or failed, see the plan's failures).
        case matched
        /// `enabled: false`.
        case disabled
        /// `on:` does not take the event's kind.
        case otherKind
        /// A `when:` condition failed; the reason names the first one.
        case conditionFailed
        /// The event is self-caused and the rule lacks `on_self_caused: true`.
        case selfCaused
        /// The loop guard's hop limit stopped the event before any rule was tried.
        case hopLimit
    }

    /// The rule's name.
    public var rule: String
    /// `FILE:LINE` of the rule.
    public var location: String
    /// What happened to it.
    public var outcome: Outcome
    /// Why it did not match; `nil` when it matched.
    public var reason: String?
    /// The mode the rule runs in (its `mode:`, else the config's `rules.mode`); a matched shadow
    /// rule says so.
    public var mode: RuleMode

    public init(rule: String, location: String, outcome: Outcome, reason: String?, mode: RuleMode = .live) {
        self.rule = rule
        self.location = location
        self.outcome = outcome
        self.reason = reason
        self.mode = mode
    }

    /// Whether the rule matched.
    public var matched: Bool { outcome == .matched }

    /// `matched  tag-release-jars (rules/qa.yml:4)`, `matched  tag-release-jars (rules/qa.yml:4)
    /// [shadow: recorded, never sent]` or `skipped  promote (rules/b.yml:9): why`.
    public var description: String {
        let head = (matched ? "matched  " : "skipped  ") + "\(rule) (\(location))"
        let shown = reason.map { "\(head): \($0)" } ?? head
        return matched && mode == .shadow ? shown + " [shadow: recorded, never sent]" : shown
    }
}

public import Rules
import Synchronization

/// The rule set in force: read on every delivery, replaced whole on reload, so each event is
/// planned with one complete set, old or new.
public final class ActiveRules: Sendable {
    private let value: Mutex<RuleSet>

    public init(_ rules: RuleSet) {
        value = Mutex(rules)
    }

    /// The current set (a value: later reloads do not change it).
    public var current: RuleSet { value.withLock { $0 } }

    /// Puts `rules` in force for every event planned from now on.
    public func replace(with rules: RuleSet) {
        value.withLock { $0 = rules }
    }
}

public import Foundation
public import Rules
import Synchronization

/// The rule set in force: read on every delivery, replaced whole on reload, so each event is
/// planned with one complete set, old or new. Also keeps how the last reload went, for the status
/// page.
public final class ActiveRules: Sendable {
    private let value: Mutex<RuleSet>
    private let reload: Mutex<RulesReload>

    public init(_ rules: RuleSet, loadedAt: Date = Date()) {
        value = Mutex(rules)
        reload = Mutex(RulesReload(at: loadedAt, errors: []))
    }

    /// The current set (a value: later reloads do not change it).
    public var current: RuleSet { value.withLock { $0 } }

    /// How the last load or reload went.
    public var lastReload: RulesReload { reload.withLock { $0 } }

    /// Puts `rules` in force for every event planned from now on.
    public func replace(with rules: RuleSet, at date: Date = Date()) {
        value.withLock { $0 = rules }
        reload.withLock { $0 = RulesReload(at: date, errors: []) }
    }

    /// Records a reload that failed with `errors` (the previous set stays in force).
    public func recordFailedReload(errors: [String], at date: Date = Date()) {
        reload.withLock { $0 = RulesReload(at: date, errors: errors) }
    }
}

/// When the rules were last loaded, and the errors if that load failed.
public struct RulesReload: Sendable, Equatable {
    public var at: Date
    /// Empty when it succeeded.
    public var errors: [String]

    public init(at: Date, errors: [String]) {
        self.at = at
        self.errors = errors
    }
}

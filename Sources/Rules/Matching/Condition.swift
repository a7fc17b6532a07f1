import ArtifactoryEvents

/// A compiled `when:` block: field tests combined with AND, `any:` and `not:`.
indirect enum Condition: Sendable {
    /// One field test; `keyPath` is where it was written (`when.any[0].repo`), for explanations.
    case field(EventField, ValueMatcher, keyPath: String)
    /// Every condition holds (a mapping's keys; empty: always).
    case all([Condition])
    /// `any: [...]`: at least one block holds.
    case any([Condition], keyPath: String)
    /// `not: {...}`: the block does not hold.
    case not(Condition, keyPath: String)

    /// Whether the event satisfies the condition.
    func holds(for event: WebhookEvent) -> Bool {
        switch self {
        case .field(let field, let matcher, _): matcher.holds(field.values(in: event))
        case .all(let conditions): conditions.allSatisfy { $0.holds(for: event) }
        case .any(let conditions, _): conditions.contains { $0.holds(for: event) }
        case .not(let condition, _): !condition.holds(for: event)
        }
    }

    /// Why the event does not satisfy the condition, naming the first test that fails;
    /// `nil` when it holds.
    func failure(for event: WebhookEvent) -> String? {
        switch self {
        case .field(let field, let matcher, let keyPath):
            let values = field.values(in: event)
            guard !matcher.holds(values) else { return nil }
            if values.isEmpty { return "\(keyPath): the event has no \(field); wanted \(matcher.expectation)" }
            return "\(keyPath): \(values.quoted) \(matcher.mismatch)"
        case .all(let conditions):
            return conditions.lazy.compactMap { $0.failure(for: event) }.first
        case .any(let conditions, let keyPath):
            guard !holds(for: event) else { return nil }
            let first = conditions.first?.failure(for: event) ?? "empty"
            return "\(keyPath): none of the \(conditions.count) blocks holds; the first fails at \(first)"
        case .not(let condition, let keyPath):
            return condition.holds(for: event) ? "\(keyPath): the excluded block holds" : nil
        }
    }

    /// The literal repository keys the condition requires at its top level (a `repo:` key that is
    /// an exact text or a list of them), for indexing; `nil` when any repository may match.
    var requiredRepos: [String]? {
        switch self {
        case .field(.repo, let matcher, _): return matcher.literals
        case .all(let conditions):
            return conditions.lazy.compactMap(\.requiredRepos).first
        default: return nil
        }
    }
}

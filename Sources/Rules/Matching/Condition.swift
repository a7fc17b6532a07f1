/// A compiled `when:` block: field tests combined with AND, `any:` and `not:`.
indirect enum Condition: Sendable {
    /// One field test; `keyPath` is where it was written (`when.any[0].repo`), for explanations.
    case field(EventField, ValueMatcher, keyPath: String)
    /// Every condition holds (a mapping's keys; empty: always): as written, for explanations, and
    /// cheapest first, for evaluation.
    case all([Condition], cheapestFirst: [Condition])
    /// `any: [...]`: at least one block holds.
    case any([Condition], keyPath: String)
    /// `not: {...}`: the block does not hold.
    case not(Condition, keyPath: String)

    /// Whether the event satisfies the condition.
    func holds(for event: EventView) -> Bool {
        switch self {
        case .field(let field, let matcher, _):
            return matcher.holds(field.values(in: event))
        case .all(_, let cheapestFirst):
            for condition in cheapestFirst where !condition.holds(for: event) { return false }
            return true
        case .any(let conditions, _):
            for condition in conditions where condition.holds(for: event) { return true }
            return false
        case .not(let condition, _):
            return !condition.holds(for: event)
        }
    }

    /// Why the event does not satisfy the condition, naming the first test that fails;
    /// `nil` when it holds.
    func failure(for event: EventView) -> String? {
        switch self {
        case .field(let field, let matcher, let keyPath):
            let values = field.values(in: event)
            guard !matcher.holds(values) else { return nil }
            if values.isEmpty { return "\(keyPath): the event has no \(field); wanted \(matcher.expectation)" }
            return "\(keyPath): \(values.quoted) \(matcher.mismatch)"
        case .all(let conditions, _):
            return conditions.lazy.compactMap { $0.failure(for: event) }.first
        case .any(let conditions, let keyPath):
            guard !holds(for: event) else { return nil }
            let first = conditions.first?.failure(for: event) ?? "empty"
            return "\(keyPath): none of the \(conditions.count) blocks holds; the first fails at \(first)"
        case .not(let condition, let keyPath):
            return condition.holds(for: event) ? "\(keyPath): the excluded block holds" : nil
        }
    }

    /// The repository keys (exact, or glob prefixes) the condition requires at its top level, for
    /// indexing; `nil` when an event of any repository may satisfy it.
    var repoKeys: [ValueMatcher.IndexKey]? {
        switch self {
        case .field(.repo, let matcher, _): return matcher.indexKeys
        case .all(let conditions, _):
            return conditions.lazy.compactMap(\.repoKeys).first
        default: return nil
        }
    }

    /// Every condition of `conditions`, evaluated cheapest first.
    static func all(_ conditions: [Condition]) -> Condition {
        .all(
            conditions,
            cheapestFirst: conditions.enumerated().sorted {
                ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset)
            }.map(\.element))
    }

    /// A rough relative cost of evaluating the condition.
    var cost: Int {
        switch self {
        case .field(let field, let matcher, _):
            if case .data = field { return matcher.cost + 1 }
            return matcher.cost
        case .all(let conditions, _), .any(let conditions, _): return conditions.reduce(1) { $0 + $1.cost }
        case .not(let condition, _): return condition.cost
        }
    }
}

/// The rules of one ``RuleSet`` whose kind, repository and `when:` take an event, in rule order:
/// the part of planning that reads only the event.
///
/// The daemon finds them before the insert's transaction, on the request's own task, and plans
/// with them inside it (``RuleSet/plan(_:matching:context:)``), so matching (globs, regular
/// expressions, many rules) never holds the store's single writer. Use it only with the rule set
/// that made it.
public struct RuleMatch: Sendable, Equatable {
    /// Rule positions in ``RuleSet/rules``, ascending.
    let positions: [Int]

    /// No rule.
    public static let none = RuleMatch(positions: [])
}

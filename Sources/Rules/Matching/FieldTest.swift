/// One field test of a `when:` block (`path: "com/acme/**"`): the unit rules share when planning,
/// so a test written in many rules is evaluated once per event.
struct FieldTest: Sendable {
    /// Equal for tests that give the same answer for every event: the same field and a matcher
    /// written the same way.
    struct Key: Sendable, Hashable {
        let field: EventField
        let matcher: ValueMatcher.Identity
    }

    let field: EventField
    let matcher: ValueMatcher

    var key: Key { Key(field: field, matcher: matcher.identity) }

    /// Whether the event's values of the field satisfy the matcher.
    func holds(for event: EventView) -> Bool {
        matcher.holds(field.values(in: event))
    }
}

/// The exact-text tests (`origin: https://a.example.com`) of one field, across every rule: one
/// lookup of the event's value answers all of them, however many rules test that field.
///
/// Texts are compared code point for code point, as ``ValueMatcher/exact(_:)`` compares them:
/// the lookup finds the texts equal to the value as `String`s (canonical equivalence), then keeps
/// the one with the same bytes.
struct ExactValueGroup: Sendable {
    /// The field every test of the group reads.
    let field: EventField
    /// The group's distinct texts, by `String` equality, each with its value numbers (texts with
    /// different bytes that are canonically equivalent share an entry).
    private var values: [String: [(text: String, number: Int32)]] = [:]
    private var count: Int32 = 0

    init(field: EventField) {
        self.field = field
    }

    /// The number of `text` in the group, added when new.
    mutating func number(of text: String) -> Int32 {
        if let known = values[text]?.first(where: { ValueMatcher.sameBytes($0.text, text) }) { return known.number }
        defer { count += 1 }
        values[text, default: []].append((text, count))
        return count
    }

    /// What one event's values of the field say about the group's tests.
    enum Answer: Equatable {
        /// The field has one value, equal to the text numbered so; every other test fails.
        case one(Int32)
        /// The field has no value equal to any text: every test fails.
        case none
        /// The field has several values: each test is evaluated on its own.
        case several
    }

    /// The group's answer for `event`.
    func answer(for event: EventView) -> Answer {
        switch field.values(in: event) {
        case .none: return .none
        case .one(let value):
            guard let texts = values[value],
                let match = texts.first(where: { ValueMatcher.sameBytes($0.text, value) })
            else { return .none }
            return .one(match.number)
        case .many: return .several
        }
    }
}

import ArtifactoryEvents

/// A compiled `require:` block: tests of what Artifactory says now, combined like `when:` (a
/// mapping's keys all hold, `any:`, `not:`), each test a ``ValueMatcher`` as in `when:`.
indirect enum GuardCondition: Sendable {
    case test(GuardField, ValueMatcher)
    case all([GuardCondition])
    case any([GuardCondition])
    case not(GuardCondition)

    /// Whether the facts satisfy the condition.
    func holds(_ facts: GuardFacts) -> Bool {
        switch self {
        case .test(let field, let matcher): matcher.holds(field.values(in: facts))
        case .all(let conditions): conditions.allSatisfy { $0.holds(facts) }
        case .any(let conditions): conditions.contains { $0.holds(facts) }
        case .not(let inner): !inner.holds(facts)
        }
    }

    /// Why the facts do not satisfy the condition, naming the first test that fails; `nil` when
    /// it holds: `item.properties.locked is "true"; wanted {not: "true"}`.
    func failure(_ facts: GuardFacts) -> String? {
        switch self {
        case .test(let field, let matcher):
            let values = field.values(in: facts)
            guard !matcher.holds(values) else { return nil }
            let found = values == .none ? "has no value" : "is \(values.quoted)"
            return "\(field) \(found); wanted \(matcher.written)"
        case .all(let conditions):
            return conditions.lazy.compactMap { $0.failure(facts) }.first
        case .any(let conditions):
            guard !holds(facts) else { return nil }
            let first = conditions.first?.failure(facts) ?? "empty"
            return "none of the \(conditions.count) any: blocks holds; the first: \(first)"
        case .not(let inner):
            guard inner.holds(facts) else { return nil }
            return "the not: block holds (\(inner.written))"
        }
    }

    /// Every field the condition reads.
    var fields: [GuardField] {
        switch self {
        case .test(let field, _): [field]
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.fields)
        case .not(let inner): inner.fields
        }
    }

    /// The condition as a rule file would write it, on one line.
    var written: String {
        switch self {
        case .test(let field, let matcher): "\(field): \(matcher.written)"
        case .all(let conditions): "{" + conditions.map(\.written).joined(separator: ", ") + "}"
        case .any(let conditions): "any: [" + conditions.map(\.written).joined(separator: ", ") + "]"
        case .not(let inner): "not: \(inner.written)"
        }
    }
}

extension ValueMatcher {
    /// The matcher as a rule file would write it: `"x"`, `{matches: "re"}`, `{min: 1}`,
    /// `["a", "b"]`, `{not: "x"}`.
    var written: String {
        switch self {
        case .exact(let text): Self.quoted(text)
        case .glob(let glob): Self.quoted(glob.pattern)
        case .regex(let regex): "{matches: \(Self.quoted(regex.source))}"
        case .range(let min, let max):
            "{" + [min.map { "min: \($0)" }, max.map { "max: \($0)" }].compactMap { $0 }.joined(separator: ", ")
                + "}"
        case .anyOf(let matchers): "[" + matchers.map(\.written).joined(separator: ", ") + "]"
        case .not(let inner): "{not: \(inner.written)}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = ""
        JSONObjectWriter.appendQuoted(text, to: &out)
        return out
    }
}

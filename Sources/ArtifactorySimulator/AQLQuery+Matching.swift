/// A query's criteria compiled once, then tested against every item.
indirect enum AQLPredicate: Sendable {
    /// AQL's comparison operators the simulator implements.
    enum Operation: String, Sendable {
        case eq = "$eq"
        case ne = "$ne"
        case match = "$match"
        case nmatch = "$nmatch"
    }

    case all([AQLPredicate])
    case any([AQLPredicate])
    case test(AQLCriterionField, Operation, String)

    /// Compiles criteria that ``AQLQuery`` has validated (anything else never holds).
    init(_ criteria: [String: Any]) {
        self = .all(
            criteria.sorted { $0.key < $1.key }.map { key, condition in
                switch key {
                case "$and": return .all((condition as? [[String: Any]] ?? []).map(AQLPredicate.init))
                case "$or": return .any((condition as? [[String: Any]] ?? []).map(AQLPredicate.init))
                default:
                    let (name, operand) =
                        (condition as? [String: Any])?.first.map { ($0.key, $0.value) } ?? ("$eq", condition)
                    guard let field = AQLCriterionField(key), let operation = Operation(rawValue: name),
                        let expected = SimulatorStorage.text(operand)
                    else { return .any([]) }
                    return .test(field, operation, expected)
                }
            })
    }

    /// Whether it holds for `item` joined with `link`.
    func holds(_ item: SimulatedItem, _ link: SimulatorStorage.BuildLink?) -> Bool {
        switch self {
        case .all(let predicates): return predicates.allSatisfy { $0.holds(item, link) }
        case .any(let predicates): return predicates.contains { $0.holds(item, link) }
        case .test(let field, let operation, let expected):
            guard let values = field.values(of: item, link: link) else { return false }
            switch operation {
            case .eq: return values.contains(expected)
            case .ne: return !values.contains(expected)
            case .match: return values.contains { AQLQuery.wildcard(expected, matches: $0) }
            case .nmatch: return !values.contains { AQLQuery.wildcard(expected, matches: $0) }
            }
        }
    }
}

extension AQLQuery {
    /// Whether a criterion names a field of the build relation, so items must be joined with
    /// their build artifacts.
    var usesBuildRelation: Bool { criteria.contains(where: Self.usesBuildRelation) }

    /// Whether folders can match: only when a criterion names `type`, as in Artifactory.
    var matchesFolders: Bool { criteria.contains(where: Self.mentionsType) }

    /// The criteria, compiled.
    var predicate: AQLPredicate { .all(criteria.map(AQLPredicate.init)) }

    /// Whether `item` meets `predicate`, joined with one of `links` (its build artifacts) the way
    /// AQL's SQL joins: every criterion is tested against the same link, and an item without
    /// links is tested once with none.
    static func matches(
        _ predicate: AQLPredicate, _ item: SimulatedItem, links: [SimulatorStorage.BuildLink]
    ) -> Bool {
        if links.isEmpty { return predicate.holds(item, nil) }
        return links.contains { predicate.holds(item, $0) }
    }

    /// AQL wildcards: `*` any run of characters, `?` one character.
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    private static func mentionsType(_ criteria: [String: Any]) -> Bool {
        criteria.contains { key, value in
            key == "type" || ((value as? [[String: Any]])?.contains(where: mentionsType) ?? false)
        }
    }

    private static func usesBuildRelation(_ criteria: [String: Any]) -> Bool {
        criteria.contains { key, value in
            AQLCriterionField(key)?.isRelation == true
                || ((value as? [[String: Any]])?.contains(where: usesBuildRelation) ?? false)
        }
    }
}

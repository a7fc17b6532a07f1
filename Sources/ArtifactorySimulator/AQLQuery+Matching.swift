extension AQLQuery {
    /// Whether a criterion names a field of the build relation, so items must be joined with
    /// their build artifacts.
    var usesBuildRelation: Bool { criteria.contains(where: Self.usesBuildRelation) }

    /// Whether `item` meets the criteria, joined with one of `links` (its build artifacts) the way
    /// AQL's SQL joins: every criterion is tested against the same link, and an item without
    /// links is tested once with none. Without a `type` criterion folders never match.
    func matches(_ item: SimulatedItem, links: [SimulatorStorage.BuildLink]) -> Bool {
        if item.isFolder, !criteria.contains(where: Self.mentionsType) { return false }
        let rows: [SimulatorStorage.BuildLink?] = links.isEmpty ? [nil] : links
        return rows.contains { link in criteria.allSatisfy { Self.holds($0, item, link) } }
    }

    private static func holds(_ criteria: [String: Any], _ item: SimulatedItem, _ link: SimulatorStorage.BuildLink?)
        -> Bool
    {
        criteria.allSatisfy { key, condition in
            switch key {
            case "$and": (condition as? [[String: Any]] ?? []).allSatisfy { holds($0, item, link) }
            case "$or": (condition as? [[String: Any]] ?? []).contains { holds($0, item, link) }
            default: holds(field: key, condition, item, link)
            }
        }
    }

    private static func holds(
        field key: String, _ condition: Any, _ item: SimulatedItem, _ link: SimulatorStorage.BuildLink?
    ) -> Bool {
        guard let field = AQLCriterionField(key), let values = field.values(of: item, link: link) else { return false }
        let (operation, operand) =
            (condition as? [String: Any])?.first.map { ($0.key, $0.value) } ?? ("$eq", condition)
        guard let expected = SimulatorStorage.text(operand) else { return false }
        switch operation {
        case "$eq": return values.contains(expected)
        case "$ne": return !values.contains(expected)
        case "$match": return values.contains { wildcard(expected, matches: $0) }
        case "$nmatch": return !values.contains { wildcard(expected, matches: $0) }
        default: return false
        }
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

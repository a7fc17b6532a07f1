import Foundation

/// The subset of AQL the simulator understands:
/// `items.find(CRITERIA)[.include(…)][.sort(…)][.offset(N)][.limit(N)]`.
///
/// Criteria are a JSON object of `field: value` (equality), `field: {"$eq"|"$ne"|"$match"|"$nmatch": value}`
/// and `"$and"`/`"$or"` lists; fields are `repo`, `path`, `name`, `type` and `@key` (a property).
/// Without a `type` criterion only files match, as in Artifactory. `.include` and `.sort` are
/// accepted and ignored (results come sorted by repo, path, name).
struct AQLQuery {
    /// The criteria object.
    var criteria: [String: Any]
    /// Results to skip.
    var offset: Int = 0
    /// Most results to return, when set.
    var limit: Int?

    /// Parses the query text; the error names what is not understood.
    init(_ text: String) throws(SimulatorError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard rest.hasPrefix("items.find(") else {
            throw .badRequest("Failed to parse query: the simulator supports items.find(...) only")
        }
        rest = rest.dropFirst("items.find".count)
        let argument = try Self.parenthesized(&rest)
        let object: [String: Any]? =
            argument.trimmingCharacters(in: .whitespaces).isEmpty
            ? [:] : (try? JSONSerialization.jsonObject(with: Data(argument.utf8))) as? [String: Any]
        guard let object else { throw .badRequest("Failed to parse query: the criteria are not a JSON object") }
        criteria = object
        while !rest.isEmpty {
            guard rest.first == "." else { throw .badRequest("Failed to parse query near '\(rest.prefix(20))'") }
            rest = rest.dropFirst()
            let name = String(rest.prefix { $0.isLetter })
            rest = rest.dropFirst(name.count)
            let value = try Self.parenthesized(&rest).trimmingCharacters(in: .whitespaces)
            switch name {
            case "include", "sort": break
            case "offset": offset = Int(value) ?? 0
            case "limit": limit = Int(value)
            default: throw .badRequest("Failed to parse query: .\(name)() is not supported by the simulator")
            }
            rest = rest.drop { $0.isWhitespace }
        }
    }

    /// Whether `item` meets the criteria.
    func matches(_ item: SimulatedItem) throws(SimulatorError) -> Bool {
        if !Self.mentionsType(criteria), item.isFolder { return false }
        return try Self.matches(item, criteria)
    }

    private static func matches(_ item: SimulatedItem, _ criteria: [String: Any]) throws(SimulatorError) -> Bool {
        for (key, condition) in criteria {
            switch key {
            case "$and", "$or":
                guard let clauses = condition as? [[String: Any]] else { throw .badRequest("\(key) takes a list") }
                var results: [Bool] = []
                for clause in clauses { results.append(try matches(item, clause)) }
                if key == "$and" ? results.contains(false) : !results.contains(true) { return false }
            default:
                if try !matches(values(of: key, in: item), condition) { return false }
            }
        }
        return true
    }

    private static func values(of field: String, in item: SimulatedItem) throws(SimulatorError) -> [String] {
        switch field {
        case "repo": return [item.repo]
        case "path": return [item.folderPath]
        case "name": return [item.name]
        case "type": return [item.isFolder ? "folder" : "file", "any"]
        case "size": return [String(item.size)]
        // The build relation, approximated: an artifact belongs to the build runs its build.name
        // and build.number properties name (what addBuild sets).
        case "artifact.module.build.name": return item.properties["build.name"] ?? []
        case "artifact.module.build.number": return item.properties["build.number"] ?? []
        default:
            guard field.hasPrefix("@") else { throw .badRequest("Failed to parse query: unknown field '\(field)'") }
            return item.properties[String(field.dropFirst())] ?? []
        }
    }

    private static func matches(_ values: [String], _ condition: Any) throws(SimulatorError) -> Bool {
        let (operation, operand): (String, Any)
        if let object = condition as? [String: Any] {
            guard object.count == 1, let entry = object.first else {
                throw .badRequest("Failed to parse query: one operator per field")
            }
            (operation, operand) = (entry.key, entry.value)
        } else {
            (operation, operand) = ("$eq", condition)
        }
        guard let expected = SimulatorStorage.text(operand) else {
            throw .badRequest("Failed to parse query: \(operation) needs a string or number")
        }
        switch operation {
        case "$eq": return values.contains(expected)
        case "$ne": return !values.contains(expected)
        case "$match": return values.contains { wildcard(expected, matches: $0) }
        case "$nmatch": return !values.contains { wildcard(expected, matches: $0) }
        default: throw .badRequest("Failed to parse query: operator \(operation) is not supported by the simulator")
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

    /// Reads `( … )` from the front of `text`, honouring JSON strings, and returns the inside.
    private static func parenthesized(_ text: inout Substring) throws(SimulatorError) -> String {
        guard text.first == "(" else { throw .badRequest("Failed to parse query: expected '('") }
        var depth = 0
        var inString = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"": inString = true
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 {
                    let inside = String(text[text.index(after: text.startIndex)..<index])
                    text = text[text.index(after: index)...]
                    return inside
                }
            default: break
            }
        }
        throw .badRequest("Failed to parse query: unbalanced parentheses")
    }
}

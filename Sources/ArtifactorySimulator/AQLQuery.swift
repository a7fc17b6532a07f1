import Foundation

/// The subset of AQL the simulator answers, parsed:
/// `items.find(CRITERIA[, CRITERIA…])[.include(…)][.sort(…)][.offset(N)][.limit(N)][.distinct(…)]`.
///
/// - Criteria: JSON objects (several are joined with AND) of `field: value` (equality),
///   `field: {"$eq"|"$ne"|"$match"|"$nmatch": value}` and `"$and"`/`"$or"` lists. Fields are the
///   item fields of ``AQLField`` (`repo`, `path`, `name`, `type`, `size`, `created`, `sha256`,
///   `actual_sha1`, …), `@key` for a property, `property.key`/`property.value`, and the build
///   relation `artifact.name`, `artifact.sha1`, `artifact.module.name`,
///   `artifact.module.build.name`, `artifact.module.build.number` and `artifact.module.build.repo`.
///   Without a `type` criterion only files match, as in Artifactory.
/// - `.include(…)`: item fields, `*`, and `property.*`/`property`/`@`/`@key` for properties.
/// - `.sort({"$asc"|"$desc": [fields]})` over item fields that the output shows; without it results
///   come in repo, path, name order.
/// - `.offset(N)`, `.limit(N)`: paging; `.distinct(true|false)` is accepted (items are distinct).
///
/// Anything else (`builds.find`, `$gt`, `stat.*` …) is the 400 a query Artifactory cannot parse
/// gets, saying what the simulator does not support.
struct AQLQuery {
    /// The sort order of `.sort`.
    enum Order: Sendable { case ascending, descending }

    /// The criteria objects, joined with AND.
    var criteria: [[String: Any]] = []
    /// The fields `.include` names, or `nil` for the default output.
    var include: [String]?
    /// `.sort`'s order and fields.
    var sort: (order: Order, fields: [String])?
    /// Results to skip.
    var offset: Int = 0
    /// Most results to return, when set.
    var limit: Int?

    /// Parses the query text; the error names what is not understood.
    init(_ text: String) throws(SimulatorError) {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var rest = Substring(query)
        guard rest.hasPrefix("items.find") else {
            let domain = rest.prefix { $0 != "." && $0 != "(" }
            throw Self.unsupported("\(domain.isEmpty ? "this query" : "\(domain).find") (only items.find)")
        }
        rest = rest.dropFirst("items.find".count)
        for element in try Self.jsonList(try Self.parenthesized(&rest, query: query), query: query) {
            guard let object = element as? [String: Any] else { throw Self.syntax(query, near: "\(element)") }
            criteria.append(object)
        }
        var seen: Set<String> = []
        while true {
            rest = rest.drop(while: \.isWhitespace)
            guard !rest.isEmpty else { break }
            guard rest.first == "." else { throw Self.syntax(query, near: rest) }
            rest = rest.dropFirst()
            let name = String(rest.prefix(while: \.isLetter))
            rest = rest.dropFirst(name.count)
            guard seen.insert(name).inserted else { throw Self.syntax(query, near: ".\(name)") }
            let argument = try Self.parenthesized(&rest, query: query)
            try apply(modifier: name, argument: argument, query: query)
        }
        try validate(query: query)
    }

    private mutating func apply(modifier name: String, argument: String, query: String) throws(SimulatorError) {
        let value = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "include":
            let fields = try Self.jsonList(argument, query: query)
            let names = fields.compactMap { $0 as? String }
            guard names.count == fields.count, !names.isEmpty else { throw Self.syntax(query, near: argument) }
            for field in names where !AQLField.isIncludable(field) {
                throw Self.unsupported("the output field '\(field)'")
            }
            include = names
        case "sort":
            guard let object = try Self.jsonList(argument, query: query).first as? [String: Any], object.count == 1,
                let (key, fields) = object.first.map({ ($0.key, $0.value as? [String]) }), let fields, !fields.isEmpty,
                key == "$asc" || key == "$desc"
            else { throw Self.syntax(query, near: argument) }
            for field in fields where AQLField(field) == nil { throw Self.unsupported("sorting by '\(field)'") }
            sort = (key == "$asc" ? .ascending : .descending, fields)
        case "offset", "limit":
            guard let number = Int(value), number >= 0 else { throw Self.syntax(query, near: "\(name)(\(argument))") }
            if name == "offset" { offset = number } else { limit = number }
        case "distinct":
            guard value == "true" || value == "false" else { throw Self.syntax(query, near: "distinct(\(argument))") }
        default:
            throw Self.unsupported(".\(name)()")
        }
    }

    /// Checks every criterion's field and operator, and that sort fields are shown.
    private func validate(query: String) throws(SimulatorError) {
        for object in criteria { try Self.validate(object, query: query) }
        guard let sort, let include else { return }
        let shown = AQLField.shownFields(include: include)
        for field in sort.fields where !shown.contains(field) {
            throw SimulatorError.badRequest(
                "Failed to parse query: \(query), only fields shown in the output can be sorted on; "
                    + "'\(field)' is not in .include(…)")
        }
    }

    private static func validate(_ criteria: [String: Any], query: String) throws(SimulatorError) {
        for (key, condition) in criteria {
            if key == "$and" || key == "$or" {
                guard let clauses = condition as? [[String: Any]] else { throw syntax(query, near: key) }
                for clause in clauses { try validate(clause, query: query) }
                continue
            }
            guard AQLCriterionField(key) != nil else { throw unsupported("the field '\(key)'") }
            let operation: String
            let operand: Any
            if let object = condition as? [String: Any] {
                guard object.count == 1, let entry = object.first else { throw syntax(query, near: key) }
                (operation, operand) = (entry.key, entry.value)
            } else {
                (operation, operand) = ("$eq", condition)
            }
            guard ["$eq", "$ne", "$match", "$nmatch"].contains(operation) else {
                throw unsupported("the operator \(operation)")
            }
            guard SimulatorStorage.text(operand) != nil else { throw syntax(query, near: key) }
        }
    }

    // MARK: Errors

    /// The 400 for text AQL cannot parse, worded as Artifactory words it.
    static func syntax(_ query: String, near: some StringProtocol) -> SimulatorError {
        .badRequest(
            "Failed to parse query: \(query), it looks like there is syntax error near the following sub-query: "
                + near.prefix(80))
    }

    /// The 400 for valid AQL the simulator does not implement.
    static func unsupported(_ what: String) -> SimulatorError {
        .badRequest("Failed to parse query: \(what) is not supported by the simulator")
    }

    // MARK: Lexing

    /// `text` as the elements of a JSON array (`[text]`); empty text is no elements.
    private static func jsonList(_ text: String, query: String) throws(SimulatorError) -> [Any] {
        if text.allSatisfy(\.isWhitespace) { return [] }
        guard let list = (try? JSONSerialization.jsonObject(with: Data("[\(text)]".utf8))) as? [Any] else {
            throw syntax(query, near: text)
        }
        return list
    }

    /// Reads `( … )` from the front of `text`, honouring JSON strings, and returns the inside.
    private static func parenthesized(_ text: inout Substring, query: String) throws(SimulatorError) -> String {
        text = text.drop(while: \.isWhitespace)
        guard text.first == "(" else { throw syntax(query, near: text) }
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
        throw syntax(query, near: text)
    }
}

/// An `items.find(…)` query as text, split into its parts: the call and its modifiers
/// (`.include(…)`, `.sort(…)`, `.offset(N)`, `.limit(N)`, in JFrog's documented order), so a
/// fan-out can page through its results with `.offset()`/`.limit()` while keeping the query's own.
///
/// Parsing only finds the parts' boundaries (parentheses and brackets balanced outside JSON
/// strings); it never reads the criteria, which Artifactory checks.
public struct AQLText: Sendable, Hashable {
    /// `items.find({…})`.
    public var find: String
    /// The field names of `.include(…)`, when the query has one.
    public var include: [String]?
    /// The inside of `.sort(…)`, when the query has one.
    public var sort: String?
    /// `.offset(N)`: results the query itself skips.
    public var offset: Int?
    /// `.limit(N)`: most results the query itself wants.
    public var limit: Int?

    /// What makes a query text unusable for a fan-out.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The modifiers a fan-out query may carry.
    public static let modifiers = ["include", "sort", "offset", "limit"]

    /// Splits `text`; throws when it is not `items.find(…)` with the modifiers above, or when its
    /// parentheses, brackets, braces or strings do not close.
    public init(_ text: String) throws(Problem) {
        var rest = Substring(text.drop { $0.isWhitespace })
        guard rest.hasPrefix("items.find(") else {
            throw Problem("an AQL query here must start with items.find(")
        }
        rest = rest.dropFirst("items.find".count)
        let criteria = try Self.parenthesized(&rest)
        find = "items.find(" + criteria + ")"
        while case let trimmed = rest.drop(while: \.isWhitespace), !trimmed.isEmpty {
            rest = trimmed
            guard rest.first == "." else { throw Problem("unexpected text after the query: \"\(rest.prefix(20))\"") }
            rest = rest.dropFirst()
            let name = String(rest.prefix { $0.isLetter })
            rest = rest.dropFirst(name.count)
            guard Self.modifiers.contains(name) else {
                throw Problem(
                    ".\(name)() is not allowed here; use \(Self.modifiers.map { ".\($0)()" }.joined(separator: ", "))")
            }
            let inside = try Self.parenthesized(&rest).trimmingWhitespace
            switch name {
            case "include":
                include = try inside.split(separator: ",").map { field throws(Problem) in
                    let quoted = field.trimmingWhitespace
                    guard quoted.count >= 2, quoted.first == "\"", quoted.last == "\"" else {
                        throw Problem(".include() takes quoted field names")
                    }
                    return String(quoted.dropFirst().dropLast())
                }
            case "sort": sort = inside
            case "offset", "limit":
                guard let number = Int(inside), number >= 0 else {
                    throw Problem(".\(name)() takes a whole number, found \"\(inside.prefix(20))\"")
                }
                if name == "offset" { offset = number } else { limit = number }
            default: break
            }
        }
    }

    /// The text of one page: the query's results from `start` (counted after its own `.offset()`),
    /// at most `count` of them and never past its own `.limit()`, with `.include()` naming the
    /// query's own fields and `fields` (none when both are empty; AQL then gives its default
    /// fields). `nil` when the page would be past the query's limit.
    public func page(start: Int, count: Int, fields: [String]) -> String? {
        var size = count
        if let limit {
            guard start < limit else { return nil }
            size = min(size, limit - start)
        }
        var text = find
        let own = include ?? []
        let all = own + fields.filter { !own.contains($0) }
        if !all.isEmpty { text += ".include(" + all.map { "\"\($0)\"" }.joined(separator: ",") + ")" }
        if let sort { text += ".sort(" + sort + ")" }
        text += ".offset(\((offset ?? 0) + start)).limit(\(size))"
        return text
    }

    /// `value` as it goes between the quotes of a JSON string: `"`, `\` and control characters
    /// escaped, so no value can end the string it is written in.
    public static func escapedInString(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Reads `( … )` from the front of `text` and returns the inside; brackets and braces must
    /// balance too, and JSON strings are skipped whole.
    static func parenthesized(_ text: inout Substring) throws(Problem) -> String {
        guard text.first == "(" else { throw Problem("expected \"(\"") }
        var stack: [Character] = []
        var strings = JSONStringTracker()
        for index in text.indices {
            let character = text[index]
            if strings.take(character) { continue }
            switch character {
            case "(": stack.append(")")
            case "{": stack.append("}")
            case "[": stack.append("]")
            case ")", "}", "]":
                guard stack.last == character else { throw Problem("unbalanced \"\(character)\" in the query") }
                stack.removeLast()
                if stack.isEmpty {
                    let inside = String(text[text.index(after: text.startIndex)..<index])
                    text = text[text.index(after: index)...]
                    return inside
                }
            default: break
            }
        }
        throw Problem(
            strings.isInString ? "a string in the query is not closed" : "unbalanced parentheses in the query")
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

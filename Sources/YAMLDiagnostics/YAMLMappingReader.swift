import Foundation

/// Reads the keys of one mapping, reporting wrong types, and at the end every key nobody asked
/// for (with a did-you-mean).
public struct YAMLMappingReader {
    /// The document diagnostics go to.
    public let document: YAMLDocument
    /// The mapping node.
    public let node: YAMLNode
    private let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]

    /// `nil` (after reporting) when `node` is not a mapping.
    public init?(_ node: YAMLNode, in document: YAMLDocument) {
        guard let entries = node.entries else {
            document.report("expected a mapping of keys, found \(node.typeName)", at: node)
            return nil
        }
        self.document = document
        self.node = node
        self.entries = entries
    }

    /// The value node of `key`, when present.
    public func value(_ key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }

    /// A non-empty string value; reports and returns `nil` when of another type, or when the key is
    /// written without a value (`key:`, `key: ~`): a key left empty is a mistake, not a default.
    public func string(_ key: String) -> String? {
        guard let value = value(key) else { return nil }
        guard !value.isNull else {
            document.report("\(key) has no value; write one, or remove the key if it is optional", at: value)
            return nil
        }
        guard let text = value.scalar, !text.isEmpty else {
            let found = value.scalar == nil ? value.typeName : "an empty text"
            document.report("expected a text value, found \(found)", at: value)
            return nil
        }
        return text
    }

    /// An integer value; reports and returns `nil` otherwise.
    public func integer(_ key: String) -> Int? {
        guard let text = string(key) else { return nil }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            document.report("expected a whole number, found \"\(text)\"", at: value(key))
            return nil
        }
        return number
    }

    /// A boolean value (`true`/`false`, `yes`/`no`); reports and returns `nil` otherwise.
    public func boolean(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            document.report("expected true or false, found \"\(text)\"", at: value(key))
            return nil
        }
    }

    /// Reports every key not in `known`, suggesting the closest known key.
    public func rejectUnknownKeys(_ known: [String]) {
        for entry in entries where !known.contains(entry.key) {
            var message = "unknown key \"\(entry.key)\""
            if let suggestion = closest(to: entry.key, in: known) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; known keys: \(known.joined(separator: ", "))"
            }
            document.report(message, at: entry.keyNode)
        }
    }

    /// Reports, once and at the mapping, that it has a key not in `known`, without naming the key:
    /// for mappings where a stray key may be a secret (a secret written with `: ` in it and no
    /// quotes reads as a key). Returns whether it reported.
    @discardableResult
    public func rejectUnknownKeysWithoutEchoing(_ known: [String], hint: String) -> Bool {
        guard entries.contains(where: { !known.contains($0.key) }) else { return false }
        let names = known.map { "\"\($0)\"" }.joined(separator: " or ")
        document.report("a key other than \(names) (not repeated here, it may be a secret); \(hint)", at: node)
        return true
    }
}

/// The candidate within a small edit distance of `word`, if any.
public func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

/// Levenshtein distance between two strings.
public func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs)
    let b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// Reads the `properties=` parameter as Artifactory does: `;` or `|` between properties, `=`
/// between key and values, `,` between values, and a backslash making the next character literal.
enum PropertySyntax {
    /// `os=win,linux|qa=done` → `["os": ["win", "linux"], "qa": ["done"]]`. A key without `=`
    /// gets one empty value.
    static func assignments(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for property in split(text, at: [";", "|"]) where !property.isEmpty {
            let parts = split(property, at: ["="], limit: 1)
            let key = unescape(parts[0])
            let values = parts.count > 1 ? split(parts[1], at: [","]).map(unescape) : [""]
            result[key] = values
        }
        return result
    }

    /// `k1,k2` → `["k1", "k2"]`.
    static func keys(_ text: String) -> [String] {
        split(text, at: [","]).map(unescape).filter { !$0.isEmpty }
    }

    /// Splits at unescaped separators, keeping escapes in the pieces; at most `limit` splits.
    private static func split(_ text: String, at separators: Set<Character>, limit: Int = .max) -> [String] {
        var pieces: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if separators.contains(character), pieces.count < limit {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces
    }

    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if !escaped, character == "\\" {
                escaped = true
            } else {
                result.append(character)
                escaped = false
            }
        }
        return result
    }
}

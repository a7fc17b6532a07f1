/// Follows JSON-like text one character at a time and tells which characters belong to a string
/// literal (its quotes included), honouring backslash escapes: how AQL text is scanned for its
/// structure without looking inside strings.
public struct JSONStringTracker: Sendable {
    /// Whether the last character taken left the scan inside a string (an unclosed string at the end).
    public private(set) var isInString = false
    private var escaped = false

    public init() {}

    /// Takes the next character; returns whether it is part of a string literal.
    public mutating func take(_ character: Character) -> Bool {
        guard isInString else {
            if character == "\"" { isInString = true }
            return isInString
        }
        if escaped {
            escaped = false
        } else if character == "\\" {
            escaped = true
        } else if character == "\"" {
            isInString = false
        }
        return true
    }
}

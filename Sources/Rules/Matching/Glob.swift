/// A compiled glob: `*` matches any run of characters inside one path segment, `?` one character
/// other than `/`, and `**` as a whole segment any number of whole segments (zero included).
/// Every other character stands for itself; matching is case-sensitive and covers the whole value.
struct Glob: Sendable, Hashable, CustomStringConvertible {
    private enum Token: Sendable, Hashable {
        case literal([UInt8])
        /// `?`
        case one
        /// `*`
        case star
        /// `**/`: zero or more whole segments, each with its `/`.
        case segments
        /// A trailing `**`: everything that is left, `/` included.
        case rest
    }

    /// Why a pattern is not a glob.
    struct SyntaxError: Error, Sendable, Hashable {
        var message: String
    }

    /// The pattern as written.
    let pattern: String
    private let tokens: [Token]
    private let starCount: Int

    /// Whether `text` contains a glob wildcard, i.e. whether it must be compiled rather than
    /// compared as it is.
    static func isPattern(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    init(_ pattern: String) throws(SyntaxError) {
        guard !pattern.isEmpty else { throw SyntaxError(message: "a glob cannot be empty") }
        var tokens: [Token] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment == "**" {
                flush()
                tokens.append(isLast ? .rest : .segments)
                continue
            }
            if segment.contains("**") {
                throw SyntaxError(
                    message: "\"**\" must be a whole path segment (as in \"a/**/b\"); use \"*\" inside a segment")
            }
            for byte in segment.utf8 {
                switch byte {
                case UInt8(ascii: "*"):
                    flush()
                    tokens.append(.star)
                case UInt8(ascii: "?"):
                    flush()
                    tokens.append(.one)
                default:
                    literal.append(byte)
                }
            }
            if !isLast { literal.append(UInt8(ascii: "/")) }
        }
        flush()
        self.pattern = pattern
        self.tokens = tokens
        self.starCount = tokens.count { $0 == .star || $0 == .segments || $0 == .rest }
    }

    var description: String { pattern }

    /// Whether the whole of `value` matches.
    func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            // Failed (token, offset) states, remembered only when backtracking could repeat work.
            var failed: Set<Int>? = starCount > 1 ? [] : nil
            return match(0, 0, bytes, &failed)
        }
    }

    private func match(_ token: Int, _ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ failed: inout Set<Int>?)
        -> Bool
    {
        let state = token &* (bytes.count &+ 1) &+ offset
        if failed?.contains(state) == true { return false }
        let result = matchUncached(token, offset, bytes, &failed)
        if !result { failed?.insert(state) }
        return result
    }

    private func matchUncached(
        _ token: Int, _ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ failed: inout Set<Int>?
    ) -> Bool {
        guard token < tokens.count else { return offset == bytes.count }
        switch tokens[token] {
        case .literal(let literal):
            guard bytes.count - offset >= literal.count else { return false }
            for index in 0..<literal.count where bytes[offset + index] != literal[index] { return false }
            return match(token + 1, offset + literal.count, bytes, &failed)
        case .one:
            guard offset < bytes.count, bytes[offset] != UInt8(ascii: "/") else { return false }
            return match(token + 1, Self.nextScalar(after: offset, in: bytes), bytes, &failed)
        case .star:
            var end = offset
            while true {
                if match(token + 1, end, bytes, &failed) { return true }
                guard end < bytes.count, bytes[end] != UInt8(ascii: "/") else { return false }
                end = Self.nextScalar(after: end, in: bytes)
            }
        case .segments:
            // Zero segments, or after each further "/".
            if match(token + 1, offset, bytes, &failed) { return true }
            var end = offset
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "/"), match(token + 1, end + 1, bytes, &failed) { return true }
                end += 1
            }
            return false
        case .rest:
            return true
        }
    }

    /// The offset of the scalar after the one starting at `offset` (UTF-8 continuation bytes skipped).
    private static func nextScalar(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}

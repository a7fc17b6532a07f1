/// A compiled glob: `*` matches any run of characters inside one path segment, `?` one character
/// other than `/`, and `**` as a whole segment any number of whole segments (zero included).
/// Every other character stands for itself; matching is case-sensitive and covers the whole value.
final class Glob: Sendable, CustomStringConvertible {
    private enum Token: Sendable, Equatable {
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

    /// The pattern as written.
    let pattern: String
    private let tokens: [Token]
    private let starCount: Int
    /// The literal text every match starts with, and ends with: a cheap first test.
    private let prefix: [UInt8]
    private let suffix: [UInt8]

    /// Whether `text` contains a glob wildcard, i.e. whether it must be compiled rather than
    /// compared as it is.
    static func isPattern(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    init(_ pattern: String) throws(RulesError) {
        guard !pattern.isEmpty else { throw RulesError(.badPattern, "a glob cannot be empty") }
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
                throw RulesError(
                    .badPattern, "\"**\" must be a whole path segment (as in \"a/**/b\"); use \"*\" inside a segment")
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
        if case .literal(let first) = tokens.first { prefix = first } else { prefix = [] }
        if tokens.count > 1, case .literal(let last) = tokens.last { suffix = last } else { suffix = [] }
    }

    var description: String { pattern }

    /// The text every match starts with (up to the first wildcard); empty when it starts with one.
    var literalPrefix: String { String(decoding: prefix, as: UTF8.self) }

    /// Whether the whole of `value` matches.
    func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.count >= prefix.count + suffix.count,
                prefix.indices.allSatisfy({ bytes[$0] == prefix[$0] }),
                suffix.indices.allSatisfy({ bytes[bytes.count - suffix.count + $0] == suffix[$0] })
            else { return false }
            // Up to two wildcards backtrack at most quadratically; beyond that, remember failed
            // (token, offset) states so no pattern can take exponential time.
            var failed = Memo(enabled: starCount > 2, states: tokens.count * (bytes.count + 1))
            return match(0, 0, bytes, &failed)
        }
    }

    /// A bitset of (token, offset) states known to fail.
    private struct Memo {
        private var bits: [UInt64]
        private let enabled: Bool

        init(enabled: Bool, states: Int) {
            self.enabled = enabled
            bits = enabled ? [UInt64](repeating: 0, count: states / 64 + 1) : []
        }

        func contains(_ state: Int) -> Bool {
            enabled && bits[state >> 6] & (1 << UInt64(state & 63)) != 0
        }

        mutating func insert(_ state: Int) {
            if enabled { bits[state >> 6] |= 1 << UInt64(state & 63) }
        }
    }

    private func match(_ token: Int, _ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ failed: inout Memo) -> Bool {
        guard token < tokens.count else { return offset == bytes.count }
        let state = token * (bytes.count + 1) + offset
        if failed.contains(state) { return false }
        let result = matchToken(token, offset, bytes, &failed)
        if !result { failed.insert(state) }
        return result
    }

    private func matchToken(_ token: Int, _ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ failed: inout Memo)
        -> Bool
    {
        switch tokens[token] {
        case .literal(let literal):
            guard bytes.count - offset >= literal.count else { return false }
            for index in 0..<literal.count where bytes[offset + index] != literal[index] { return false }
            return match(token + 1, offset + literal.count, bytes, &failed)
        case .one:
            guard offset < bytes.count, bytes[offset] != UInt8(ascii: "/") else { return false }
            return match(token + 1, Self.nextScalar(after: offset, in: bytes), bytes, &failed)
        case .star:
            // Before a literal, only offsets where that literal could start are worth trying.
            var first: UInt8?
            if token + 1 < tokens.count, case .literal(let next) = tokens[token + 1] { first = next[0] }
            var end = offset
            while true {
                if first == nil || (end < bytes.count && bytes[end] == first), match(token + 1, end, bytes, &failed) {
                    return true
                }
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

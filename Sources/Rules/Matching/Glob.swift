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
        if case .literal(let first) = tokens.first { prefix = first } else { prefix = [] }
        if tokens.count > 1, case .literal(let last) = tokens.last { suffix = last } else { suffix = [] }
    }

    var description: String { pattern }

    /// The text every match starts with (up to the first wildcard); empty when it starts with one.
    var literalPrefix: String { String(decoding: prefix, as: UTF8.self) }

    /// Whether the whole of `value` matches.
    ///
    /// After a cheap test of the literal prefix and suffix, the tokens are matched from the last
    /// to the first over every offset of the value (dynamic programming): time proportional to
    /// tokens × bytes, whatever the pattern and the value. (Backtracking from the first token, as
    /// before, took time proportional to the square of the value's length for patterns such as
    /// `*-*.jar`: 21 s for one 160,000-byte name, on the store's writer.)
    func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.count >= prefix.count + suffix.count,
                prefix.indices.allSatisfy({ bytes[$0] == prefix[$0] }),
                suffix.indices.allSatisfy({ bytes[bytes.count - suffix.count + $0] == suffix[$0] })
            else { return false }
            let rowLength = bytes.count + 1
            return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * rowLength) { rows in
                let base = rows.baseAddress!
                return match(
                    bytes, UnsafeMutableBufferPointer(start: base, count: rowLength),
                    UnsafeMutableBufferPointer(start: base + rowLength, count: rowLength))
            }
        }
    }

    /// `after[o]` starts as "nothing left to match, and the value ends at `o`"; each token, last
    /// first, turns it into whether that token and those after it match `bytes[o...]`.
    private func match(
        _ bytes: UnsafeBufferPointer<UInt8>, _ after: UnsafeMutableBufferPointer<Bool>,
        _ here: UnsafeMutableBufferPointer<Bool>
    ) -> Bool {
        let count = bytes.count
        let slash = UInt8(ascii: "/")
        var (after, here) = (after, here)
        for offset in 0...count { after[offset] = offset == count }
        for token in tokens.reversed() {
            switch token {
            case .literal(let literal):
                for offset in 0...count {
                    let end = offset + literal.count
                    here[offset] =
                        end <= count && after[end] && literal.indices.allSatisfy { bytes[offset + $0] == literal[$0] }
                }
            case .one:
                here[count] = false
                for offset in 0..<count {
                    here[offset] = bytes[offset] != slash && after[Self.nextScalar(after: offset, in: bytes)]
                }
            case .star:
                // Stop here, or take one more character (not `/`) and go on.
                here[count] = after[count]
                for offset in stride(from: count - 1, through: 0, by: -1) {
                    here[offset] =
                        after[offset] || (bytes[offset] != slash && here[Self.nextScalar(after: offset, in: bytes)])
                }
            case .segments:
                // Zero segments, or whole segments up to any later `/`.
                var slashAhead = false
                for offset in stride(from: count, through: 0, by: -1) {
                    if offset < count, bytes[offset] == slash, after[offset + 1] { slashAhead = true }
                    here[offset] = after[offset] || slashAhead
                }
            case .rest:
                for offset in 0...count { here[offset] = true }
            }
            swap(&after, &here)
        }
        return after[0]
    }

    /// The offset of the scalar after the one starting at `offset` (UTF-8 continuation bytes skipped).
    private static func nextScalar(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}

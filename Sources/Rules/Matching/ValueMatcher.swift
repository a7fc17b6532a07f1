/// A compiled test of one field's values: the right-hand side of a `when:` key.
indirect enum ValueMatcher: Sendable {
    /// A text without wildcards, compared code point for code point.
    case exact(String)
    case glob(Glob)
    /// `{matches: REGEX}`: the expression is found anywhere in the value (anchor it with `^…$`).
    case regex(RegexPattern)
    /// `{min: A, max: B}`: a whole number within the bounds, both inclusive.
    case range(min: Int64?, max: Int64?)
    /// A list: any element holds.
    case anyOf([ValueMatcher])
    /// `{not: …}`: no value satisfies the inner matcher.
    case not(ValueMatcher)

    /// Whether the field's values satisfy this matcher. A positive matcher needs at least one value
    /// that satisfies it, so it never holds for an absent field; `not` holds when no value does; a
    /// list holds when one of its elements does, each judged on all the values (so `[{not: X}]` is
    /// `{not: X}`, as written).
    func holds(_ values: FieldValues) -> Bool {
        switch self {
        case .not(let inner): return !inner.holds(values)
        case .anyOf(let matchers): return matchers.contains { $0.holds(values) }
        default: break
        }
        switch values {
        case .none: return false
        case .one(let value): return holds(value: value)
        case .many(let many):
            for value in many where holds(value: value) { return true }
            return false
        }
    }

    private func holds(value: String) -> Bool {
        switch self {
        case .exact(let expected): return Self.sameBytes(value, expected)
        case .glob(let glob): return glob.matches(value)
        case .regex(let regex): return regex.matches(value)
        case .range(let min, let max):
            guard let number = Int64(value) else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
        case .anyOf(let matchers): return matchers.contains { $0.holds(value: value) }
        case .not(let inner): return !inner.holds(value: value)
        }
    }

    /// Code point for code point equality (`==` on `String` also equates canonically equivalent
    /// texts, which Artifactory does not).
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return UTF8Bytes.with(lhs) { left in
            UTF8Bytes.with(rhs) { right in left.elementsEqual(right) }
        }
    }

    /// A rough relative cost of testing one value.
    var cost: Int {
        switch self {
        case .exact, .range: return 1
        case .glob: return 3
        case .regex(let regex): return regex.isLiteral ? 3 : 20
        case .anyOf(let matchers): return matchers.reduce(0) { $0 + $1.cost }
        case .not(let inner): return inner.cost
        }
    }

    /// The repository keys this matcher can accept, for indexing: exact texts and the literal
    /// prefixes of globs; `nil` when it may accept a value that starts with anything.
    var indexKeys: [IndexKey]? {
        switch self {
        case .exact(let text): return [.exact(text)]
        case .glob(let glob): return glob.literalPrefix.isEmpty ? nil : [.prefix(glob.literalPrefix)]
        case .anyOf(let matchers):
            var keys: [IndexKey] = []
            for matcher in matchers {
                guard let inner = matcher.indexKeys else { return nil }
                keys += inner
            }
            return keys
        default: return nil
        }
    }

    /// A value an index can look up: the whole value, or a prefix every accepted value starts with.
    enum IndexKey: Sendable, Hashable {
        case exact(String)
        case prefix(String)
    }

    /// Why a value failed this matcher, as a predicate: `is not "x"`, `does not match the glob "g"`,
    /// `must be at least 5`.
    var mismatch: String {
        switch self {
        case .exact: return "is not \(expectation)"
        case .glob, .regex: return "does not match \(expectation)"
        case .range(let min, let max):
            switch (min, max) {
            case (let min?, let max?): return "must be from \(min) to \(max)"
            case (let min?, nil): return "must be at least \(min)"
            case (nil, let max?): return "must be at most \(max)"
            case (nil, nil): return "must be a whole number"
            }
        case .anyOf(let matchers): return "matches none of " + matchers.map(\.expectation).joined(separator: ", ")
        case .not(let inner): return "matches \(inner.expectation), which not: excludes"
        }
    }

    /// What the matcher wants, for explanations: `"libs-release-local"`, `the glob "com/**"`, ….
    var expectation: String {
        switch self {
        case .exact(let text): return "\"\(text)\""
        case .glob(let glob): return "the glob \"\(glob.pattern)\""
        case .regex(let regex): return "the regex \"\(regex.source)\""
        case .range(let min, let max):
            switch (min, max) {
            case (let min?, let max?): return "a whole number from \(min) to \(max)"
            case (let min?, nil): return "a whole number of at least \(min)"
            case (nil, let max?): return "a whole number of at most \(max)"
            case (nil, nil): return "a whole number"
            }
        case .anyOf(let matchers): return "any of " + matchers.map(\.expectation).joined(separator: ", ")
        case .not(let inner): return "not " + inner.expectation
        }
    }
}

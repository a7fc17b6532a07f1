import Foundation

/// A compiled test of one field's values: the right-hand side of a `when:` key.
indirect enum ValueMatcher: Sendable {
    /// A text without wildcards, compared as it is.
    case exact(String)
    case glob(Glob)
    /// `{matches: REGEX}`: the expression is found anywhere in the value (anchor it with `^…$`).
    case regex(NSRegularExpression)
    /// `{min: A, max: B}`: a whole number within the bounds, both inclusive.
    case range(min: Int64?, max: Int64?)
    /// A list: any element holds.
    case anyOf([ValueMatcher])
    /// `{not: …}`: no value satisfies the inner matcher.
    case not(ValueMatcher)

    /// Whether the field's values satisfy this matcher. A positive matcher needs at least one value
    /// that satisfies it, so it never holds for an absent field; `not` holds when no value does.
    func holds(_ values: FieldValues) -> Bool {
        if case .not(let inner) = self { return !inner.holds(values) }
        return values.contains(where: holds(value:))
    }

    private func holds(value: String) -> Bool {
        switch self {
        case .exact(let expected): return value == expected
        case .glob(let glob): return glob.matches(value)
        case .regex(let regex):
            return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        case .range(let min, let max):
            guard let number = Int64(value) else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
        case .anyOf(let matchers): return matchers.contains { $0.holds(value: value) }
        case .not(let inner): return !inner.holds(value: value)
        }
    }

    /// The literal values this matcher accepts when it accepts nothing else (exact texts or a
    /// list of them), for indexing; `nil` otherwise.
    var literals: [String]? {
        switch self {
        case .exact(let text): return [text]
        case .anyOf(let matchers):
            var texts: [String] = []
            for matcher in matchers {
                guard let inner = matcher.literals else { return nil }
                texts += inner
            }
            return texts
        default: return nil
        }
    }

    /// Why a value failed this matcher, as a predicate: `is not "x"`, `does not match the glob "g"`.
    var mismatch: String {
        switch self {
        case .exact: return "is not \(expectation)"
        case .glob, .regex: return "does not match \(expectation)"
        case .range: return "is not \(expectation)"
        case .anyOf(let matchers): return "matches none of " + matchers.map(\.expectation).joined(separator: ", ")
        case .not(let inner): return "matches \(inner.expectation), which not: excludes"
        }
    }

    /// What the matcher wants, for explanations: `"libs-release-local"`, `the glob "com/**"`, ….
    var expectation: String {
        switch self {
        case .exact(let text): return "\"\(text)\""
        case .glob(let glob): return "the glob \"\(glob.pattern)\""
        case .regex(let regex): return "the regex \"\(regex.pattern)\""
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

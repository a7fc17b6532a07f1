extension ValueMatcher {
    /// What decides a matcher's answers, as a hashable value: two matchers with the same identity
    /// give the same answer for every value, so rules can share one evaluation of them.
    indirect enum Identity: Sendable, Hashable {
        case exact(String)
        /// A glob, by its pattern (a glob's behaviour depends on nothing else).
        case glob(String)
        /// A regular expression, by its source (compiled with the same options every time).
        case regex(String)
        case range(min: Int64?, max: Int64?)
        case anyOf([Identity])
        case not(Identity)
    }

    /// The matcher's identity: equal for matchers written the same way in different rules.
    var identity: Identity {
        switch self {
        case .exact(let text): .exact(text)
        case .glob(let glob): .glob(glob.pattern)
        case .regex(let regex): .regex(regex.source)
        case .range(let min, let max): .range(min: min, max: max)
        case .anyOf(let matchers): .anyOf(matchers.map(\.identity))
        case .not(let inner): .not(inner.identity)
        }
    }
}

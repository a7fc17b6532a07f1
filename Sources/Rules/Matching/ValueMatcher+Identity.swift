extension ValueMatcher {
    /// What decides a matcher's answers, as a hashable value: two matchers with the same identity
    /// give the same answer for every value, so rules can share one evaluation of them.
    ///
    /// Texts are kept as UTF-8 bytes: `String` equality equates canonically equivalent texts
    /// (`é` and `e` + combining acute), which matchers tell apart.
    indirect enum Identity: Sendable, Hashable {
        case exact([UInt8])
        /// A glob, by its pattern (a glob's behaviour depends on nothing else).
        case glob([UInt8])
        /// A regular expression, by its source (compiled with the same options every time).
        case regex([UInt8])
        case range(min: Int64?, max: Int64?)
        case anyOf([Identity])
        case not(Identity)
    }

    /// The matcher's identity: equal for matchers written the same way in different rules.
    var identity: Identity {
        switch self {
        case .exact(let text): .exact(Array(text.utf8))
        case .glob(let glob): .glob(Array(glob.pattern.utf8))
        case .regex(let regex): .regex(Array(regex.source.utf8))
        case .range(let min, let max): .range(min: min, max: max)
        case .anyOf(let matchers): .anyOf(matchers.map(\.identity))
        case .not(let inner): .not(inner.identity)
        }
    }
}

extension DaemonConfig {
    /// `endpoints[].rate_limit`: a token bucket per endpoint, `{per_second: N, burst: M}`.
    ///
    /// Each authenticated delivery takes a token; tokens come back at `perSecond` up to `burst`.
    /// A delivery that finds none gets 429 with `Retry-After`, before it is stored.
    public struct RateLimit: Sendable, Equatable {
        /// `per_second`: tokens added per second (a fraction, such as 0.5, is allowed).
        public var perSecond: Double
        /// `burst`: the most tokens held, which is how many deliveries may arrive at once.
        /// Default: `per_second` rounded up (at least 1).
        public var burst: Int

        public init(perSecond: Double, burst: Int? = nil) {
            self.perSecond = perSecond
            self.burst = burst ?? max(1, Int(perSecond.rounded(.up)))
        }
    }
}

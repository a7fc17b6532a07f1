/// A token bucket: holds up to `burst` tokens, gains `perSecond` a second, and each delivery
/// takes one. A value: the caller owns the clock and passes the time in, so tests never sleep.
package struct TokenBucket: Sendable {
    package let perSecond: Double
    package let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant?

    /// A full bucket.
    package init(_ limit: DaemonConfig.RateLimit) {
        perSecond = limit.perSecond
        burst = Double(limit.burst)
        tokens = burst
    }

    /// Takes a token at `now`; returns `nil` when there was one, otherwise how long until there
    /// is (and takes nothing). `now` never going backwards is assumed; an earlier one adds nothing.
    package mutating func take(at now: ContinuousClock.Instant) -> Duration? {
        if let updated, now > updated {
            tokens = min(burst, tokens + (now - updated).timeInterval * perSecond)
        }
        if updated.map({ now > $0 }) ?? true { updated = now }
        guard tokens < 1 else {
            tokens -= 1
            return nil
        }
        return .seconds((1 - tokens) / perSecond)
    }
}

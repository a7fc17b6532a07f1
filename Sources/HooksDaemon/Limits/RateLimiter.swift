import Synchronization

/// The token buckets of the endpoints that have a `rate_limit`, one per endpoint.
///
/// Ingest asks it after a delivery's signature checked out and before anything is stored: a
/// forged or unsigned flood is refused by the signature check and takes no token, so it cannot
/// use up the budget of the real sender on the same endpoint.
package final class RateLimiter: Sendable {
    private let buckets: Mutex<[String: TokenBucket]>
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - endpoints: the configured endpoints; those without `rate_limit` are never limited.
    ///   - now: the clock (tests pass their own).
    package init(
        endpoints: [DaemonConfig.Endpoint], now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        var buckets: [String: TokenBucket] = [:]
        for endpoint in endpoints {
            if let limit = endpoint.rateLimit { buckets[endpoint.name] = TokenBucket(limit) }
        }
        self.buckets = Mutex(buckets)
        self.now = now
    }

    /// Takes a token of `endpoint`'s bucket; returns `nil` when the delivery may go on, otherwise
    /// how long until the next token.
    package func admit(_ endpoint: String) -> Duration? {
        let now = now()
        return buckets.withLock { buckets in buckets[endpoint]?.take(at: now) }
    }
}

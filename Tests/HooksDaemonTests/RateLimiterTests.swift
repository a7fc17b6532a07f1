import ArtifactoryEvents
import HooksDaemon
import Synchronization
import Testing

@Suite("Rate limit: token bucket per endpoint, on an injected clock")
struct RateLimiterTests {
    static let start = ContinuousClock.now

    @Test("a full bucket takes `burst` deliveries at once, then says how long until the next token")
    func burst() {
        var bucket = TokenBucket(DaemonConfig.RateLimit(perSecond: 2, burst: 3))
        for _ in 0..<3 { #expect(bucket.take(at: Self.start) == nil) }
        #expect(bucket.take(at: Self.start) == .milliseconds(500))
        // A refusal takes nothing: asking again at once gives the same wait.
        #expect(bucket.take(at: Self.start) == .milliseconds(500))
    }

    @Test("tokens come back at per_second, never above burst")
    func refill() {
        var bucket = TokenBucket(DaemonConfig.RateLimit(perSecond: 2, burst: 3))
        for _ in 0..<3 { _ = bucket.take(at: Self.start) }
        #expect(bucket.take(at: Self.start + .milliseconds(250)) == .milliseconds(250))
        #expect(bucket.take(at: Self.start + .milliseconds(500)) == nil)
        #expect(bucket.take(at: Self.start + .milliseconds(500)) != nil)
        // An hour idle fills the bucket to burst, not to 7200 tokens.
        let later = Self.start + .seconds(3600)
        for _ in 0..<3 { #expect(bucket.take(at: later) == nil) }
        #expect(bucket.take(at: later) != nil)
    }

    @Test("a clock reading earlier than the last one adds no token")
    func clockBackwards() {
        var bucket = TokenBucket(DaemonConfig.RateLimit(perSecond: 1, burst: 1))
        #expect(bucket.take(at: Self.start + .seconds(10)) == nil)
        #expect(bucket.take(at: Self.start) != nil)
        #expect(bucket.take(at: Self.start + .seconds(10)) != nil)
        #expect(bucket.take(at: Self.start + .seconds(11)) == nil)
    }

    @Test("each endpoint has its own bucket; an endpoint without rate_limit is never limited")
    func perEndpoint() {
        let clock = BucketClock(Self.start)
        let limiter = RateLimiter(
            endpoints: [
                DaemonConfig.Endpoint(
                    name: "a", auth: .none, secrets: [], rateLimit: DaemonConfig.RateLimit(perSecond: 1, burst: 1)),
                DaemonConfig.Endpoint(
                    name: "b", auth: .none, secrets: [], rateLimit: DaemonConfig.RateLimit(perSecond: 1, burst: 2)),
                DaemonConfig.Endpoint(name: "c", auth: .none, secrets: []),
            ],
            now: { clock.now })
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("a") == .seconds(1))
        #expect(limiter.admit("b") == nil)
        #expect(limiter.admit("b") == nil)
        #expect(limiter.admit("b") != nil)
        for _ in 0..<1000 { #expect(limiter.admit("c") == nil) }
        clock.advance(by: .seconds(1))
        #expect(limiter.admit("a") == nil)
        #expect(limiter.admit("b") == nil)
    }

    @Test("store capacity: full at max_bytes, clear below it, each change reported once")
    func capacity() {
        let capacity = StoreCapacity(maxBytes: 1000)
        #expect(!capacity.isFull)
        #expect(capacity.refusal == nil)
        #expect(capacity.refresh(bytes: 999) == nil)
        #expect(capacity.refresh(bytes: 1000) == .filled(bytes: 1000))
        #expect(capacity.isFull)
        #expect(capacity.refresh(bytes: 2000) == nil)
        #expect(capacity.refusal?.contains("store.max_bytes (2000 bytes used of 1000)") == true)
        #expect(capacity.refresh(bytes: 10) == .freed(bytes: 10))
        #expect(!capacity.isFull)
        #expect(capacity.refusal == nil)
        let uncapped = StoreCapacity(maxBytes: nil)
        #expect(uncapped.refresh(bytes: Int.max) == nil)
        #expect(!uncapped.isFull)
    }
}

/// A clock that moves only when told.
private final class BucketClock: Sendable {
    private let instant: Mutex<ContinuousClock.Instant>

    init(_ start: ContinuousClock.Instant) { instant = Mutex(start) }

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(by duration: Duration) { instant.withLock { $0 += duration } }
}

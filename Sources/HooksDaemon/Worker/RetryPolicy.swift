/// Decides what becomes of a failed attempt: retry after a delay, or give up. A pure value: the
/// caller passes the attempt number, the job's age and a jitter draw, so tests never sleep.
public struct RetryPolicy: Sendable, Equatable {
    /// How an attempt failed.
    public enum Failure: Sendable, Equatable {
        /// Worth another try (connection error, timeout, 5xx, 429); `retryAfter` when Artifactory
        /// said how long to wait.
        case retryable(retryAfter: Duration?)
        /// Another try cannot help (other 4xx).
        case permanent
    }

    /// What to do next.
    public enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case dead(reason: String)
    }

    /// Attempts before giving up.
    public var maxAttempts: Int
    /// Age after which a job is not retried.
    public var maxAge: Duration
    /// The first delay; each further attempt doubles it.
    public var base: Duration
    /// The longest computed delay.
    public var cap: Duration

    public init(maxAttempts: Int, maxAge: Duration, base: Duration, cap: Duration) {
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
        self.base = base
        self.cap = cap
    }

    /// - Parameters:
    ///   - failure: how attempt number `attempt` (from 1) failed.
    ///   - age: time since the job was created, at the end of the attempt.
    ///   - jitter: a draw in `0..<1`; the delay is spread over its upper half (`delay × (0.5 + jitter/2)`)
    ///     so that jobs failing together do not retry together.
    public func decide(_ failure: Failure, attempt: Int, age: Duration, jitter: Double) -> Decision {
        guard case .retryable(let retryAfter) = failure else {
            return .dead(reason: "Artifactory refused the call; retrying cannot help")
        }
        guard attempt < maxAttempts else {
            return .dead(reason: "gave up after \(attempt) attempts (worker.max_attempts)")
        }
        let delay = retryAfter ?? backoff(attempt: attempt, jitter: jitter)
        guard age + delay <= maxAge else {
            return .dead(reason: "gave up: the next attempt would be past worker.max_age")
        }
        return .retry(after: delay)
    }

    /// `base × 2^(attempt-1)`, capped, with jitter.
    func backoff(attempt: Int, jitter: Double) -> Duration {
        var delay = base
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= cap { break }
        }
        delay = min(delay, cap)
        return delay * (0.5 + min(max(jitter, 0), 1) / 2)
    }
}

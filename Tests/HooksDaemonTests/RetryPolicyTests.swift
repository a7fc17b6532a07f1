import HooksDaemon
import Testing

@Suite("Retry decisions")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, maxAge: .seconds(3600), base: .seconds(1), cap: .seconds(60))

    @Test(
        "exponential backoff, capped, spread by jitter",
        arguments: [
            (1, 0.0, Duration.milliseconds(500)), (1, 1.0, .seconds(1)), (2, 1.0, .seconds(2)), (3, 0.5, .seconds(3)),
            (4, 1.0, .seconds(8)),
        ])
    func backoff(attempt: Int, jitter: Double, expected: Duration) {
        #expect(
            policy.decide(.retryable(retryAfter: nil), attempt: attempt, age: .zero, jitter: jitter)
                == .retry(after: expected))
    }

    @Test("the cap bounds long chains")
    func capped() {
        let long = RetryPolicy(maxAttempts: 100, maxAge: .seconds(86400), base: .seconds(1), cap: .seconds(60))
        #expect(
            long.decide(.retryable(retryAfter: nil), attempt: 30, age: .zero, jitter: 1) == .retry(after: .seconds(60)))
    }

    @Test("Retry-After is honoured as given")
    func retryAfter() {
        #expect(
            policy.decide(.retryable(retryAfter: .seconds(7)), attempt: 1, age: .zero, jitter: 0.3)
                == .retry(after: .seconds(7)))
    }

    @Test("a permanent failure is dead at once")
    func permanent() {
        guard case .dead = policy.decide(.permanent, attempt: 1, age: .zero, jitter: 0) else {
            Issue.record("a 4xx was retried")
            return
        }
    }

    @Test("the attempt limit and the age limit end retries")
    func limits() {
        guard case .dead(let reason) = policy.decide(.retryable(retryAfter: nil), attempt: 5, age: .zero, jitter: 0)
        else {
            Issue.record("retried past max_attempts")
            return
        }
        #expect(reason.contains("max_attempts"))
        guard
            case .dead(let ageReason) = policy.decide(
                .retryable(retryAfter: .seconds(10)), attempt: 1, age: .seconds(3595), jitter: 0)
        else {
            Issue.record("retried past max_age")
            return
        }
        #expect(ageReason.contains("max_age"))
    }
}

import HooksDaemon
import Testing

@Suite("Log throttle")
struct LogThrottleTests {
    @Test("one line per key per interval, with the count of lines held back")
    func throttles() {
        let throttle = LogThrottle(interval: .seconds(10))
        let start = ContinuousClock.now
        #expect(throttle.admit("unauthorized", now: start) == 0)
        #expect(throttle.admit("unauthorized", now: start + .seconds(1)) == nil)
        #expect(throttle.admit("unauthorized", now: start + .seconds(9)) == nil)
        // Another reason has its own budget.
        #expect(throttle.admit("forbidden_source", now: start + .seconds(9)) == 0)
        #expect(throttle.admit("unauthorized", now: start + .seconds(10)) == 2)
        #expect(throttle.admit("unauthorized", now: start + .seconds(21)) == 0)
    }
}

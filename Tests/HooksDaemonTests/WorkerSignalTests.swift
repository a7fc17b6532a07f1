import HooksDaemon
import Synchronization
import Testing

@Suite("Worker wake-ups", .timeLimit(.minutes(1)))
struct WorkerSignalTests {
    @Test("a wake-up before the wait is kept for it; a timeout leaves nothing behind")
    func wakeAndTimeout() async throws {
        let signal = WorkerSignal()
        signal.wake()
        let clock = ContinuousClock()
        // Far apart on purpose: a loaded test run can delay any task by seconds.
        let kept = await clock.measure { await signal.wait(timeout: .seconds(40)) }
        #expect(kept < .seconds(20), "the stored wake-up was not used; the wait ran towards its 40 s timeout")

        let timedOut = await clock.measure { await signal.wait(timeout: .milliseconds(100)) }
        #expect(timedOut >= .milliseconds(100))
        // The timeout stored no wake-up: the next wait sleeps its full time too.
        let next = await clock.measure { await signal.wait(timeout: .milliseconds(100)) }
        #expect(next >= .milliseconds(100))
    }

    @Test("a wake-up during the wait ends it early")
    func wakeDuringWait() async throws {
        let signal = WorkerSignal()
        async let woken: Void = {
            try? await Task.sleep(for: .milliseconds(50))
            signal.wake()
        }()
        let elapsed = await ContinuousClock().measure { await signal.wait(timeout: .seconds(40)) }
        await woken
        #expect(elapsed < .seconds(20), "the wake-up did not end the wait; it ran towards its 40 s timeout")
        // And it was consumed: a further wait runs to its timeout.
        let next = await ContinuousClock().measure { await signal.wait(timeout: .milliseconds(100)) }
        #expect(next >= .milliseconds(100))
    }

    @Test("a wait in a task cancelled before it began returns at once, with or without a timeout")
    func cancelledBeforeWaiting() async throws {
        let signal = WorkerSignal()
        let returned = Mutex(false)
        Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await signal.wait(timeout: nil)
            await signal.wait(timeout: .seconds(3600))
            returned.withLock { $0 = true }
        }
        // Polled rather than awaited: a wait that never returns fails this test instead of hanging it.
        let deadline = ContinuousClock.now + .seconds(20)
        while !returned.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(returned.withLock { $0 }, "a cancelled task's wait did not return")
    }
}

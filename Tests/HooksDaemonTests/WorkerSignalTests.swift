import HooksDaemon
import Synchronization
import Testing

@Suite("Worker wake-ups", .timeLimit(.minutes(1)))
struct WorkerSignalTests {
    /// Whether a wait has returned.
    final class Returned: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var value: Bool { flag.withLock { $0 } }
    }

    /// Starts a wait in a child task; `returned` says whether it has returned.
    static func waiting(
        _ signal: WorkerSignal, timeout: Duration, on clock: ManualClock, _ body: (_ returned: () -> Bool) async -> Void
    ) async {
        let returned = Returned()
        await withDiscardingTaskGroup { group in
            group.addTask {
                await signal.wait(timeout: timeout, on: clock)
                returned.set()
            }
            await body { returned.value }
        }
    }

    @Test("a wake-up before the wait is kept for it; a timeout leaves nothing behind")
    func wakeAndTimeout() async throws {
        let signal = WorkerSignal()
        let clock = ManualClock()
        signal.wake()
        // Returns with the clock never moved: the stored wake-up ended it.
        await signal.wait(timeout: .seconds(40), on: clock)
        #expect(clock.uptime == .zero)

        await Self.waiting(signal, timeout: .milliseconds(100), on: clock) { returned in
            await clock.untilSleeping(for: .milliseconds(100))
            #expect(!returned())
            clock.advance(by: .milliseconds(100))
        }
        // The timeout stored no wake-up: the next wait sleeps until its own timeout too.
        await Self.waiting(signal, timeout: .milliseconds(100), on: clock) { returned in
            await clock.untilSleeping(for: .milliseconds(100))
            #expect(!returned())
            clock.advance(by: .milliseconds(100))
        }
    }

    @Test("a wake-up during the wait ends it early")
    func wakeDuringWait() async throws {
        let signal = WorkerSignal()
        let clock = ManualClock()
        await Self.waiting(signal, timeout: .seconds(40), on: clock) { returned in
            await clock.untilSleeping(for: .seconds(40))
            #expect(!returned())
            signal.wake()
        }
        #expect(clock.uptime == .zero)
        // And it was consumed: a further wait sleeps until its timeout.
        await Self.waiting(signal, timeout: .milliseconds(100), on: clock) { returned in
            await clock.untilSleeping(for: .milliseconds(100))
            #expect(!returned())
            clock.advance(by: .milliseconds(100))
        }
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

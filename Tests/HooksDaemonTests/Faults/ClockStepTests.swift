import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import Storage
import Synchronization
import Testing

extension Faults {
    /// The wall clock stepping an hour forward and back. The host's clock cannot be stepped in a
    /// test, so this one runs the daemon in process, through the same `buildApplication` the binary
    /// calls, with a ``DaemonClock`` whose wall time the test steps (the seam every timed part of
    /// the daemon and the store's own stamps read); its monotonic time and sleeps are the machine's.
    @Suite("Faults: the wall clock steps an hour forward and back", .serialized, .timeLimit(.minutes(2)))
    struct ClockStep {
        /// The machine's clocks, with an offset the test changes on the wall clock only.
        final class SteppedClock: DaemonClock {
            private let offset = Mutex<TimeInterval>(0)
            private let origin = ContinuousClock.now

            var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }
            var uptime: Duration { ContinuousClock.now - origin }
            func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }

            /// Steps the wall clock by `seconds` (negative: back).
            func step(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        }

        static let paths = (0..<8).map { "com/acme/step-\($0).jar" }

        @Test("an hour forward with calls in flight, then back: each job called once, new events acted on at once")
        func steps() async throws {
            let clock = SteppedClock()
            let rules = ArtifactoryOutage.rules
            try await DeliveryHarness.run(
                rules: rules, worker: "concurrency: 4\nlease: 60s\nbackoff_base: 100ms", files: Self.paths,
                clock: clock
            ) { harness, client in
                let state = harness.simulator.state
                // Given two calls under way (each takes 3 s at Artifactory), with free slots…
                state.injectFault(.latency(.seconds(3)), times: 2)
                let slowCallsEnd = ContinuousClock.now + .seconds(4)
                var events: [Int64] = []
                for path in Self.paths.prefix(2) {
                    events.append(try await harness.post(client, DeliveryHarness.deployed(path)).event_id)
                }
                try await Self.until { state.pendingFaults == 0 }
                // …when the wall clock steps an hour forward, past their leases, and a new event
                // wakes the worker to lease…
                clock.step(by: 3600)
                events.append(try await harness.post(client, DeliveryHarness.deployed(Self.paths[2])).event_id)
                // …then each job is called once: the worker does not run its own jobs again, though
                // the store saw their leases run out and leased them anew.
                for event in events {
                    let jobs = try await harness.waitForJobs(of: event)
                    #expect(jobs.map(\.state) == [.done])
                    #expect(try await harness.attempts(of: jobs[0].id).count == 1)
                }

                // When it steps back an hour, new events are acted on at once, each once.
                clock.step(by: -3600)
                let backAt = ContinuousClock.now
                for path in Self.paths.dropFirst(3) {
                    events.append(try await harness.post(client, DeliveryHarness.deployed(path)).event_id)
                }
                for event in events.dropFirst(3) {
                    let jobs = try await harness.waitForJobs(of: event)
                    #expect(jobs.map(\.state) == [.done])
                    #expect(try await harness.attempts(of: jobs[0].id).count == 1)
                }
                let settled = ContinuousClock.now - backAt
                #expect(settled < .seconds(15))
                // The two slow calls are answered (and logged by the simulator) only after their 3 s.
                while ContinuousClock.now < slowCallsEnd { try await Task.sleep(for: .milliseconds(50)) }
                let calls = state.answeredPuts(itemMatching: #"com/acme/step-[0-9]+\.jar"#)
                #expect(calls.count == Self.paths.count)
                #expect(calls.values.allSatisfy { $0.count == 1 }, "\(calls.filter { $0.value.count > 1 }.keys)")
                print(
                    "FAULT clock-step: sent=\(Self.paths.count) acknowledged=\(events.count) jobs-done=\(events.count) "
                        + "calls=\(calls.values.map(\.count).reduce(0, +)) after-back=\(settled)")
            }
        }

        /// Polls `condition` every 20 ms for up to 10 s.
        static func until(_ condition: () async throws -> Bool) async throws {
            for _ in 0..<500 {
                if try await condition() { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("condition not met in time")
        }
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import AsyncHTTPClient
import Foundation
import HooksTestSupport
import Storage
import Synchronization
import Testing

extension ProcessTests {
    /// Two real daemons behind an imaginary load balancer, sharing one PostgreSQL database. A
    /// test of the serialized process suite, so it never overlaps the other tests that run real
    /// daemons.
    @Test(
        "two daemons on one PostgreSQL, one SIGKILLed mid-burst: every 202 stored once, every job done once, none run twice at once",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func twoDaemonsOnePostgres() async throws {
        try await HAProcessScenario().killOneOfTwo()
    }
}

/// The HA scenario: its settings, its burst and its checks.
struct HAProcessScenario {
    /// Shared state of the clients of a burst.
    final class Burst: Sendable {
        /// Event index → acknowledged event id.
        let acknowledged = Mutex<[Int: Int64]>([:])
        /// Requests that got no 202 (the killed daemon's).
        let refused = Atomic<Int>(0)
        let next = Atomic<Int>(0)
        /// Set once A is killed: the load balancer takes it out of rotation.
        let killed = Atomic<Bool>(false)
    }

    static let events = 400
    static let killAfter = 120
    static let concurrency = 8
    /// Every call takes this long at the simulator, so overlapping runs of one job would show.
    static let callLatency = Duration.milliseconds(15)

    static func body(_ index: Int) -> [UInt8] {
        Array(
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"ha/\#(index).jar"}}"#
                .utf8)
    }

    func killOneOfTwo() async throws {
        let database = try await TestPostgres.createDatabase()
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        for index in 0..<Self.events {
            try simulator.state.addFile(repo: "libs-release-local", path: "ha/\(index).jar")
        }
        simulator.state.injectFault(.latency(Self.callLatency), times: 100_000)
        do {
            try await simulator.withRunning { baseURL in
                try await run(database: database, simulator: simulator, baseURL: baseURL)
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    func run(database: TestDatabase, simulator: ArtifactorySimulator, baseURL: URL) async throws {
        let daemon = try TestDaemon.callingArtifactory(
            at: baseURL,
            rules:
                "rules:\n  - name: stamp\n    on: artifact.deployed\n    do:\n      - set_properties: { stamp: \"{{ event.id }}\" }\n",
            // Lease and call timeout leave room for a loaded machine: a call that times out, or a
            // lease that runs out before its answer is recorded, is repeated by design, and the
            // bound below counts only the repeats A's death causes.
            worker: "lease: 6s\nbackoff_base: 50ms\nconcurrency: \(Self.concurrency)", token: DeliveryHarness.token,
            store: "postgres: \(database.url)\ntls: disable\npool_size: 6", callTimeout: "3s")
        defer { daemon.directory.remove() }
        let a = try DaemonProcess(["serve", "--config", daemon.configPath])
        let b = try DaemonProcess(["serve", "--config", daemon.configPath])
        let ports = [try await a.waitUntilListening(), try await b.waitUntilListening()]
        let started = ContinuousClock.now

        // Given eight clients sending distinct events to the two daemons in turn, when daemon A is
        // killed without warning mid-burst…
        let burst = Burst()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while true {
                        let index = burst.next.add(1, ordering: .relaxed).newValue
                        guard index < Self.events else { return }
                        // A dead peer is not retried quickly by the HTTP client (it backs off until
                        // the deadline), so the balancer sends everything to B once A is gone.
                        let port = burst.killed.load(ordering: .relaxed) ? ports[1] : ports[index % 2]
                        if let id = try? await ProcessTests.post(Self.body(index), port: port, client: client) {
                            burst.acknowledged.withLock { $0[index] = id }
                        } else {
                            burst.refused.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            group.addTask {
                while burst.acknowledged.withLock({ $0.count }) < Self.killAfter {
                    try? await Task.sleep(for: .milliseconds(2))
                }
                a.send(SIGKILL)
                burst.killed.store(true, ordering: .relaxed)
                print("HA test: killed A after \(ContinuousClock.now - started)")
            }
        }
        _ = try await a.waitForExit()
        try await client.shutdown()
        print("HA test: burst over after \(ContinuousClock.now - started)")
        let acks = burst.acknowledged.withLock { $0 }
        // Only requests in flight at A when it died can have gone unanswered.
        #expect(acks.count >= Self.events - 8, "B should have acknowledged everything after the kill")

        // …then B finishes every job, A's included once A's leases run out.
        let store = PostgresEventStore(configuration: try #require(.init(url: database.url, tls: .disable)))
        // The pool runs for the checks (the daemon runs it as a service, a command in withPool).
        try await store.withPool {
            let unfinished = try await store.waitForUnfinishedJobs(timeout: .seconds(30))
            #expect(unfinished == 0, "jobs still unfinished: \(b.printed.suffix(2000))")
            print("HA test: jobs finished after \(ContinuousClock.now - started)")

            // Every acknowledged event is stored exactly once, under the id it was given.
            let stored = try await store.events(matching: EventQuery(limit: 100_000))
            let byPath = Dictionary(grouping: stored, by: { $0.path ?? "" })
            var wrong: [Int] = []
            for (index, id) in acks where byPath["ha/\(index).jar"]?.map(\.id) != [id] {
                wrong.append(index)
            }
            #expect(wrong.isEmpty, "acknowledged but not stored once with its id: \(wrong.sorted().prefix(20))")
            #expect(stored.allSatisfy { !$0.selfCaused && $0.duplicateOf == nil })

            // Every planned job of an acknowledged event is done, with exactly one successful attempt,
            // and no two attempts of a job overlap in time.
            var notDone: [Int64] = []
            var overlapping: [Int64] = []
            for (_, id) in acks {
                let jobs = try await store.jobs(forEvent: id)
                guard jobs.count == 1, let job = jobs.first, job.state == .done else {
                    notDone.append(id)
                    continue
                }
                let attempts = try await store.attempts(forJob: job.id)
                if attempts.filter({ $0.outcome == "success" }).count != 1 { notDone.append(id) }
                let intervals = attempts.map { ($0.startedAt, $0.startedAt.addingTimeInterval(seconds($0.duration))) }
                    .sorted { $0.0 < $1.0 }
                for (earlier, later) in zip(intervals, intervals.dropFirst()) where later.0 < earlier.1 {
                    overlapping.append(job.id)
                }
            }
            #expect(notDone.isEmpty, "events whose job is not done exactly once: \(notDone.prefix(10))")
            #expect(overlapping.isEmpty, "jobs whose attempts overlapped: \(overlapping.prefix(10))")

            // In Artifactory's log: every acknowledged event's call arrived; a call arrived twice only
            // when A died with it in flight or with its answer not yet recorded (at most 2 ×
            // `concurrency` of them), and never while the first was still running.
            let calls = simulator.state.answeredPuts(itemMatching: #"ha/[0-9]+\.jar"#)
            let missing = acks.keys.filter { calls["ha/\($0).jar"] == nil }
            #expect(missing.isEmpty, "no call for \(missing.prefix(10))")
            let repeated = calls.filter { $0.value.count > 1 }
            #expect(
                repeated.count <= 2 * Self.concurrency, "more repeats than calls A can have had in flight or unrecorded"
            )
            let concurrent = repeated.filter { _, times in
                let sorted = times.sorted()
                return zip(sorted, sorted.dropFirst()).contains { $1.timeIntervalSince($0) < seconds(Self.callLatency) }
            }
            #expect(concurrent.isEmpty, "calls of one job ran at the same time: \(concurrent.keys.prefix(5))")
            print(
                "HA test: \(acks.count) acknowledged (\(burst.refused.load(ordering: .relaxed)) refused after the kill), "
                    + "\(calls.values.map(\.count).reduce(0, +)) calls, \(repeated.count) repeated after the kill")

            b.send(SIGTERM)
            #expect(try await b.waitForExit() == 0)
        }
    }

    func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

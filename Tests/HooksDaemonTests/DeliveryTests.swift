import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Delivery: rules call a simulated Artifactory", .timeLimit(.minutes(1)))
struct DeliveryTests {
    static let tagAndCopy = """
        rules:
          - name: tag-and-copy
            on: artifact.deployed
            when: { repo: libs-release-local }
            do:
              - set_properties: { qa.status: pending, qa.event: "{{ event.id }}" }
              - copy: { to: "libs-qa-local/{{ data.path }}" }
        """

    @Test("a signed event changes Artifactory as the rule says")
    func propertiesAndCopy() async throws {
        // The worker's clock never moves, so its idle wait never ends by itself: the calls come
        // only because ingest wakes the worker.
        try await DeliveryHarness.run(rules: Self.tagAndCopy, clock: ManualClock()) { harness, client in
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            #expect(ack.planned == 2)
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            #expect(jobs.map(\.state) == [.done, .done])
            let item = try #require(harness.simulator.state.item(repo: "libs-release-local", path: "com/acme/a.jar"))
            #expect(item.properties["qa.status"] == ["pending"])
            #expect(item.properties["qa.event"] == [String(ack.event_id)])
            #expect(harness.simulator.state.item(repo: "libs-qa-local", path: "com/acme/a.jar") != nil)
            #expect(harness.simulator.state.requests.allSatisfy { $0.authorizationScheme == "Bearer" })
        }
    }

    @Test("copying a folder again lands at the same place, merged, not inside itself")
    func folderCopyRepeats() async throws {
        let rules = """
            rules:
              - name: copy-release
                on: artifact.deployed
                do:
                  - copy: { to: "libs-qa-local/com/acme/1.0" }
                    path: com/acme/1.0
            """
        try await DeliveryHarness.run(rules: rules, files: ["com/acme/1.0/a.jar"]) { harness, client in
            let first = try await harness.post(client, DeliveryHarness.deployed("com/acme/1.0/a.jar"))
            #expect(try await harness.waitForJobs(of: first.event_id).map(\.state) == [.done])
            try harness.simulator.state.addFile(repo: "libs-release-local", path: "com/acme/1.0/b.jar", size: 5)
            // The same folder copied again: a push of the same tag, a replay, a repeated call.
            let second = try await harness.post(client, DeliveryHarness.deployed("com/acme/1.0/b.jar"))
            #expect(try await harness.waitForJobs(of: second.event_id).map(\.state) == [.done])

            let copied = harness.simulator.state.items(repo: "libs-qa-local").map(\.path)
            #expect(copied.contains("com/acme/1.0/a.jar"), "\(copied)")
            #expect(copied.contains("com/acme/1.0/b.jar"), "\(copied)")
            #expect(!copied.contains { $0.hasPrefix("com/acme/1.0/1.0") }, "\(copied)")
            // The first copy went to the target itself (nothing was there); the second, seeing a
            // folder there, into the folder above it.
            let copies = harness.simulator.state.requests.filter { $0.target.contains("/api/copy/") }.map(\.target)
            #expect(copies.count == 2)
            #expect(copies.first?.hasSuffix("?to=/libs-qa-local/com/acme/1.0") == true, "\(copies)")
            #expect(copies.last?.hasSuffix("?to=/libs-qa-local/com/acme") == true, "\(copies)")
        }
    }

    @Test("500s are retried with backoff until the call succeeds; every attempt is recorded")
    func retriesServerErrors() async throws {
        let rules = """
            rules:
              - name: tag
                on: artifact.deployed
                do:
                  - set_properties: { seen: "yes" }
            """
        try await DeliveryHarness.run(rules: rules, worker: "backoff_base: 200ms") { harness, client in
            harness.simulator.state.injectFault(.status(500), times: 2)
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(job.state == .done)
            let attempts = try await harness.attempts(of: job.id)
            #expect(attempts.map(\.outcome) == ["retry", "retry", "success"])
            #expect(attempts.map(\.httpStatus) == [500, 500, 204])
            // Backoff 200 ms then 400 ms, each at least half of that with jitter.
            let gaps = zip(attempts.dropFirst(), attempts).map { $0.startedAt.timeIntervalSince($1.startedAt) }
            #expect(gaps[0] >= 0.1)
            #expect(gaps[1] >= 0.2)
            #expect(attempts[0].message?.contains("500") == true)
        }
    }

    @Test("429 with Retry-After waits as long as Artifactory asked")
    func honoursRetryAfter() async throws {
        let rules =
            "rules:\n  - name: tag\n    on: artifact.deployed\n    do:\n      - set_properties: { seen: \"yes\" }\n"
        try await DeliveryHarness.run(rules: rules, worker: "backoff_base: 10ms") { harness, client in
            harness.simulator.state.injectFault(.tooManyRequests(retryAfter: "1"), times: 1)
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            let attempts = try await harness.attempts(of: job.id)
            #expect(attempts.map(\.httpStatus) == [429, 204])
            #expect(attempts[1].startedAt.timeIntervalSince(attempts[0].startedAt) >= 0.95)
        }
    }

    @Test("a 4xx makes the job dead at once, with Artifactory's message; retry runs it again")
    func permanentFailure() async throws {
        let rules = """
            rules:
              - name: copy-nowhere
                on: artifact.deployed
                do:
                  - copy: { to: "no-such-repo/{{ data.path }}" }
            """
        try await DeliveryHarness.run(rules: rules) { harness, client in
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(job.state == .dead)
            #expect(job.attemptCount == 1)
            #expect(job.lastError?.contains("no-such-repo") == true)
            let attempts = try await harness.attempts(of: job.id)
            #expect(attempts.map(\.outcome) == ["dead"])
            #expect(attempts.first?.httpStatus == 404)

            // The operator fixes Artifactory, then retries the dead letter.
            harness.simulator.state.addRepository("no-such-repo")
            let store = try await harness.daemon.openStore()
            #expect(try await store.retryJobs(ids: nil, now: Date()) == 1)
            try await store.close()
            // The CLI retry does not wake an idle worker; a new event does.
            _ = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar", tag: "again"))
            let retried = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(retried.state == .done)
            #expect(harness.simulator.state.item(repo: "no-such-repo", path: "com/acme/a.jar") != nil)
        }
    }

    @Test("jobs of one subject run one at a time in event order; other subjects do not wait")
    func orderingPerSubject() async throws {
        let rules = """
            rules:
              - name: stamp
                on: artifact.deployed
                do:
                  - set_properties: { stamp: "{{ event.id }}" }
            """
        try await DeliveryHarness.run(rules: rules, files: ["com/acme/a.jar", "com/acme/b.jar"]) { harness, client in
            // The first call to reach Artifactory takes 6 s: room for a loaded machine.
            harness.simulator.state.injectFault(.latency(.seconds(Self.slowCall)), times: 1)
            let first = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar", tag: "1"))
            try await Task.sleep(for: .milliseconds(50))
            let second = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar", tag: "2"))
            let other = try await harness.post(client, DeliveryHarness.deployed("com/acme/b.jar", tag: "3"))
            try await harness.waitForJobs(of: first.event_id)
            try await harness.waitForJobs(of: second.event_id)
            try await harness.waitForJobs(of: other.event_id)

            try Self.checkOrder(
                harness.simulator.state.requests, first: first.event_id, second: second.event_id)
            let item = try #require(harness.simulator.state.item(repo: "libs-release-local", path: "com/acme/a.jar"))
            #expect(item.properties["stamp"] == [String(second.event_id)])
        }
    }

    /// How long the first call on a.jar takes, in seconds.
    static let slowCall = 6

    /// The calls on a.jar came in event order, the second only after the slow first was answered,
    /// and the call on b.jar did not wait for it.
    static func checkOrder(_ requests: [RecordedRequest], first: Int64, second: Int64) throws {
        let onA = requests.filter { $0.target.contains("com/acme/a.jar") }
        let onB = requests.filter { $0.target.contains("com/acme/b.jar") }
        try #require(onA.count == 2)
        try #require(onB.count == 1)
        #expect(onA[0].target.contains("stamp=\(first)"))
        #expect(onA[1].target.contains("stamp=\(second)"))
        let firstAnswered = onA[0].receivedAt.addingTimeInterval(Double(slowCall))
        #expect(onA[1].receivedAt >= firstAnswered.addingTimeInterval(-0.01))
        #expect(onB[0].receivedAt < firstAnswered)
    }

    @Test("loop guard: our own property change does not trigger rules, and chains stop at max_hops")
    func loopGuard() async throws {
        let rules =
            DeliveryHarness.tagAndReactRules + """
                  - name: chain
                    on: artifact_property.added
                    on_self_caused: true
                    when: { property_key: chain }
                    do:
                      - set_properties: { chain: "{{ event.id }}" }
                """
        @Sendable func propertyAdded(_ key: String, _ value: String) -> String {
            #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"com/acme/a.jar","name":"a.jar","property_key":"\#(key)","property_values":["\#(value)"]}}"#
        }
        try await DeliveryHarness.run(rules: rules) { harness, client in
            let deploy = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            #expect(deploy.planned == 1)
            try await harness.waitForJobs(of: deploy.event_id)

            // Artifactory now reports the property we set: self-caused, so react-to-properties stays quiet.
            let echo = try await harness.post(client, propertyAdded("qa.status", "pending"))
            #expect(echo.planned == 0)
            let store = try await harness.daemon.openStore()
            let echoed = try #require(try await store.event(id: echo.event_id))
            #expect(echoed.selfCaused)
            #expect(echoed.hop == 1)
            #expect(EventTable.detail(echoed).contains("self-caused:   yes, hop 1"))
            // Replayed, it is still self-caused: the operator's replay plans what ingest planned.
            let replay = try DaemonProcess([
                "events", "replay", "--dry-run", "--config", harness.daemon.configPath, String(echo.event_id),
            ])
            #expect(try await replay.waitForExit() == 0)
            #expect(replay.printed.contains("event \(echo.event_id): 0 job(s)"), "\(replay.printed)")

            // A person adds a property: not self-caused, both property rules would run…
            // …but `chain` only takes key "chain". Start a chain and feed back each effect.
            let start = try await harness.post(client, propertyAdded("chain", "person"))
            #expect(start.planned == 2)
            try await harness.waitForJobs(of: start.event_id)
            var planned: [Int] = []
            for hop in 1...3 {
                let ack = try await harness.post(client, propertyAdded("chain", "hop-\(hop)"))
                planned.append(ack.planned)
                if ack.planned > 0 { try await harness.waitForJobs(of: ack.event_id) }
                let event = try #require(try await store.event(id: ack.event_id))
                #expect(event.selfCaused)
                #expect(event.hop == hop)
            }
            try await store.close()
            // Hops 1 and 2 run `chain` (it opts in); hop 3 reaches worker.max_hops (3) and stops,
            // replayed too.
            #expect(planned == [1, 1, 0])
            let lastHop = start.event_id + 3
            let replayLast = try DaemonProcess([
                "events", "replay", "--dry-run", "--config", harness.daemon.configPath, String(lastHop),
            ])
            #expect(try await replayLast.waitForExit() == 0)
            #expect(replayLast.printed.contains("event \(lastHop): 0 job(s)"), "\(replayLast.printed)")
            // The metrics count both: react-to-properties skipped the echo and hops 1 and 2; hop 3 stopped.
            let metrics = try await harness.admin.scrape()
            let suppressions = "artifactory_hooks_loop_guard_suppressions_total"
            #expect(metrics.value(suppressions, ["reason": "self_caused"]) == 3)
            #expect(metrics.value(suppressions, ["reason": "hop_limit"]) == 1)
        }
    }
}

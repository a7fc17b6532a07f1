import ArtifactorySimulator
import Foundation
import HooksDaemon
import Logging
import Storage
import Testing

@Suite("Backpressure: worker.max_pending defers planning, never refuses", .timeLimit(.minutes(1)))
struct BackpressureTests {
    static let rules = """
        rules:
          - name: stamp
            on: artifact.deployed
            do:
              - set_properties: { stamp: "{{ event.id }}" }
        """

    @Test("a burst over the limit is stored and acknowledged, deferred, then planned and done; none lost")
    func burstIsDeferredThenPlanned() async throws {
        let files = (0..<30).map { "com/acme/\($0).jar" }
        try await DeliveryHarness.run(
            rules: Self.rules, worker: "backoff_base: 100ms\nconcurrency: 1\nmax_pending: 3", files: files
        ) { harness, client in
            // Given: Artifactory answers slowly (one call at a time), so jobs pile up.
            harness.simulator.state.injectFault(.latency(.milliseconds(200)), times: 30)

            // When: 8 events arrive, the backlog is read from the store a few times (every 100 ms;
            // at most two of the 200 ms calls finish meanwhile, so it sees more than 3 waiting), and
            // 22 more arrive.
            var acks: [Acknowledgement] = []
            for file in files.prefix(8) {
                acks.append(try await harness.post(client, DeliveryHarness.deployed(file)))
            }
            try await Task.sleep(for: .milliseconds(400))
            for file in files.dropFirst(8) {
                acks.append(try await harness.post(client, DeliveryHarness.deployed(file)))
            }

            // Then: every event was acknowledged; some were stored unplanned.
            #expect(acks.count == 30)
            let deferred = acks.filter { $0.planned == 0 }
            #expect(!deferred.isEmpty)
            #expect(acks.filter { $0.planned == 1 }.count >= 3)
            let during = try await harness.admin.scrape()
            #expect(during.value("artifactory_hooks_events_deferred_total") == Double(deferred.count))

            // And: the deferred ones are planned later, and every event's job is done.
            for ack in acks {
                let jobs = try await harness.waitForJobs(of: ack.event_id)
                #expect(jobs.map(\.state) == [.done])
                #expect(jobs.first?.origin == .ingest)
            }
            let store = try await harness.daemon.openStore()
            let status = try await store.status(since: Date().addingTimeInterval(-60))
            try await store.close()
            #expect(status.deferredEvents == 0)
            #expect(status.jobsByState[.done] == 30)
            for file in files {
                let item = harness.simulator.state.item(repo: "libs-release-local", path: file)
                #expect(item?.properties["stamp"]?.count == 1)
            }
            let after = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "done"]) == 30
            }
            #expect(after.value("artifactory_hooks_backpressure_active") == 0)
            #expect(after.value("artifactory_hooks_deferred_events") == 0)
        }
    }

    @Test("deferred events are planned later with their stored loop-guard finding")
    func deferredPlanningKeepsLoopGuard() async throws {
        let rules = DeliveryHarness.tagAndReactRules
        @Sendable func propertyAdded(_ key: String) -> String {
            #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"com/acme/a.jar","name":"a.jar","property_key":"\#(key)","property_values":["v"]}}"#
        }
        let files = ["com/acme/a.jar", "com/acme/b.jar", "com/acme/c.jar"]
        try await DeliveryHarness.run(rules: rules, worker: "max_pending: 1", files: files) { harness, client in
            // Given: our own call set qa.status on a.jar (Artifactory will echo it)…
            let deploy = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            try await harness.waitForJobs(of: deploy.event_id)
            // (once the backlog has read that job as done)…
            _ = try await harness.admin.scrape { $0.value("artifactory_hooks_jobs", ["state": "done"]) == 1 }
            // …and two slow calls fill the backlog over max_pending.
            harness.simulator.state.injectFault(.latency(.seconds(2)), times: 2)
            _ = try await harness.post(client, DeliveryHarness.deployed("com/acme/b.jar"))
            _ = try await harness.post(client, DeliveryHarness.deployed("com/acme/c.jar"))
            _ = try await harness.admin.scrape { $0.value("artifactory_hooks_backpressure_active") == 1 }

            // When: the echo of our own change and a person's change arrive during backpressure.
            let echo = try await harness.post(client, propertyAdded("qa.status"))
            let person = try await harness.post(client, propertyAdded("owner"))
            #expect(echo.planned == 0)
            #expect(person.planned == 0)
            let store = try await harness.daemon.openStore()
            let deferred = try await store.deferredEvents(limit: 10).map(\.id)
            #expect(deferred.suffix(2) == [echo.event_id, person.event_id])

            // Then: once the backlog drains, the person's change plans its job; the echo plans none,
            // because it is still known as self-caused.
            let personJobs = try await harness.waitForJobs(of: person.event_id)
            #expect(personJobs.map(\.rule) == ["react-to-properties"])
            #expect(personJobs.map(\.state) == [.done])
            #expect(try await store.deferredEvents(limit: 10).isEmpty)
            #expect(try await store.jobs(forEvent: echo.event_id).isEmpty)
            #expect(try await store.event(id: echo.event_id)?.selfCaused == true)
            try await store.close()
            let metrics = try await harness.admin.scrape()
            #expect(metrics.value("artifactory_hooks_loop_guard_suppressions_total", ["reason": "self_caused"]) == 1)
            #expect(metrics.value("artifactory_hooks_events_deferred_total") == Double(deferred.count))
        }
    }

    @Test("a deferred plan is counted once it is added: not for the tries that could not add it")
    func deferredPlanReportedOnceAdded() async throws {
        let rules = """
            rules:
              - name: stamp
                on: artifact.deployed
                when: { path: "com/acme/**" }
                do:
                  - set_properties: { stamp: "{{ event.id }}" }
              - name: tag-origin
                on: artifact.deployed
                when: { path: "org/acme/**" }
                do:
                  - set_properties: { origin: "{{ event.source }}" }
            """
        let lines = LogLines()
        let logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .warning, output: lines.output)
        }
        let files = ["com/acme/a.jar", "com/acme/b.jar"]
        try await DeliveryHarness.run(rules: rules, worker: "max_pending: 1", files: files, logger: logger) {
            harness, client in
            // Given: two slow calls fill the backlog over max_pending (slow enough that it is still
            // over when the next event arrives, on a loaded machine too)…
            harness.simulator.state.injectFault(.latency(.seconds(5)), times: 2)
            for file in files { _ = try await harness.post(client, DeliveryHarness.deployed(file)) }
            _ = try await harness.admin.scrape { $0.value("artifactory_hooks_backpressure_active") == 1 }
            // …and the store refuses to record actions that could not be planned.
            let breaker = StoreBreaker(path: harness.daemon.databasePath)
            try await breaker.refusePlanFailures()

            // When: an event whose action cannot be planned (it names no `source`) is deferred, and
            // adding its plan fails at least once before the store takes it again.
            let deferred = try await harness.post(client, DeliveryHarness.deployed("org/acme/c.jar"))
            #expect(deferred.planned == 0)
            try await lines.waitFor("Could not read or plan the backlog")
            try await breaker.acceptWrites()

            // Then: the plan is added once, and its failure counted once.
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_backpressure_active") == 0
            }
            let store = try await harness.daemon.openStore()
            let failures = try await store.planFailures(forEvent: deferred.event_id)
            try await store.close()
            #expect(failures.map(\.rule) == ["tag-origin"])
            #expect(metrics.value("artifactory_hooks_plan_failures_total", ["code": "missing_field"]) == 1)
        }
    }
}

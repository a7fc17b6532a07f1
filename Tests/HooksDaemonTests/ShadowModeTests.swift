import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import HummingbirdTesting
import Storage
import Testing

@Suite("Shadow mode: jobs recorded exactly as planned, never sent", .timeLimit(.minutes(1)))
struct ShadowModeTests {
    /// A rule on trial (`mode` given), and a live rule on another folder that proves the worker ran.
    static func rules(trialMode: String) -> String {
        """
        rules:
          - name: trial
            mode: \(trialMode)
            on: artifact.deployed
            when:
              path: "com/acme/**"
            do:
              - set_properties: { trial.event: "{{ event.id }}" }
          - name: marker
            on: artifact.deployed
            when:
              path: "marker/**"
            do:
              - set_properties: { marker: "yes" }

        """
    }

    /// Posts an event for `marker/PATH` and waits until its live job is done: every job planned
    /// before it that could run has been leased by then (the worker leases in due order).
    static func runMarker(_ harness: DeliveryHarness, _ client: some TestClientProtocol, _ name: String) async throws {
        let ack = try await harness.post(client, DeliveryHarness.deployed("marker/\(name)"))
        #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.done])
    }

    /// The paths of the requests that reached the simulator.
    static func targets(_ simulator: ArtifactorySimulator) -> [String] {
        simulator.state.requests.map(\.target)
    }

    @Test("100 events plan 100 shadow jobs; no request reaches Artifactory; events show, jobs list, metrics see them")
    func hundredEventsNothingSent() async throws {
        let files = (0..<100).map { "com/acme/\($0).jar" } + ["marker/m.jar"]
        try await DeliveryHarness.run(rules: Self.rules(trialMode: "shadow"), files: files) { harness, client in
            // When 100 events arrive for the rule on trial
            var acks: [Acknowledgement] = []
            for file in files.prefix(100) {
                acks.append(try await harness.post(client, DeliveryHarness.deployed(file)))
            }
            #expect(acks.allSatisfy { $0.planned == 1 })
            // …and then one for a live rule, which the worker runs
            try await Self.runMarker(harness, client, "m.jar")

            // Then only the live rule's call reached the simulator
            #expect(Self.targets(harness.simulator).allSatisfy { $0.contains("/marker/m.jar") })
            #expect(harness.simulator.state.requests.count == 1)
            for file in files.prefix(100) {
                #expect(
                    harness.simulator.state.item(repo: "libs-release-local", path: file)?.properties.isEmpty == true)
            }

            // …and the store holds every planned call, byte for byte, as `jobs list --state shadow` shows
            let store = try await harness.daemon.openStore()
            let shadow = try await store.jobs(matching: JobQuery(state: .shadow, limit: 1000))
            #expect(shadow.count == 100)
            #expect(Set(shadow.map(\.eventID)) == Set(acks.map(\.event_id)))
            let first = try #require(try await store.jobs(forEvent: acks[0].event_id).first)
            #expect(first.state == .shadow)
            #expect(first.attemptCount == 0)
            #expect(
                first.request
                    == #"{"action_index":0,"kind":"set_properties","method":"PUT","path":"api/storage/libs-release-local/com/acme/0.jar?properties=trial.event=\#(acks[0].event_id)&recursive=0","rule":"trial","subject":"artifact:libs-release-local/com/acme/0.jar"}"#
            )
            #expect(try await store.attempts(forJob: first.id).isEmpty)
            // `events show` lists it under its event, marked as never sent.
            let shown = EventTable.plan(jobs: [first], failures: [])
            #expect(shown.contains("\(first.id)  shadow  trial do[0] set_properties (shadow: never sent)"), "\(shown)")
            try await store.close()

            // …and /metrics counts them by rule, and in the jobs gauge
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "shadow"]) == 100
            }
            #expect(metrics.value("artifactory_hooks_shadow_jobs_total", ["rule": "trial"]) == 100)
            #expect(metrics.value("artifactory_hooks_shadow_jobs_total", ["rule": "marker"]) == nil)
        }
    }

    @Test("a rule switched from shadow to live by a reload sends only the jobs of events after the switch")
    func switchToLive() async throws {
        let before = (0..<5).map { "com/acme/before-\($0).jar" }
        let after = (0..<3).map { "com/acme/after-\($0).jar" }
        try await DeliveryHarness.run(
            rules: Self.rules(trialMode: "shadow"), files: before + after + ["marker/m.jar"],
            extra: "rules_poll_interval: 50ms"
        ) { harness, client in
            // Given events recorded in shadow
            var shadowEvents: [Int64] = []
            for file in before {
                shadowEvents.append(try await harness.post(client, DeliveryHarness.deployed(file)).event_id)
            }

            // When the rule is switched live (saved by rename, as editors do) and the reload is seen
            let directory = harness.daemon.directory
            try directory.write("rules/.rules.yml.new", Self.rules(trialMode: "live"))
            try FileManager.default.removeItem(atPath: directory.path("rules/rules.yml"))
            try FileManager.default.moveItem(
                atPath: directory.path("rules/.rules.yml.new"), toPath: directory.path("rules/rules.yml"))
            var liveEvents: [Int64] = []
            var probe = 0
            while liveEvents.isEmpty {
                // Probes plan shadow jobs until the reload; the first live one counts as an event after it.
                // Each probe's body differs (`tag`), or it would be a duplicate and plan nothing.
                let ack = try await harness.post(client, DeliveryHarness.deployed(after[0], tag: "probe-\(probe)"))
                let states = try await harness.jobs(of: ack.event_id).map(\.state)
                if states == [.shadow] {
                    shadowEvents.append(ack.event_id)
                } else {
                    liveEvents.append(ack.event_id)
                }
                probe += 1
                try #require(probe < 200, "the switch to live was not loaded")
                if liveEvents.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
            }
            for file in after.dropFirst() {
                liveEvents.append(try await harness.post(client, DeliveryHarness.deployed(file)).event_id)
            }

            // Then the events after the switch are sent, each once
            for event in liveEvents { #expect(try await harness.waitForJobs(of: event).map(\.state) == [.done]) }
            try await Self.runMarker(harness, client, "m.jar")
            let puts = harness.simulator.state.answeredPuts(itemMatching: #"com/acme/[a-z]+-[0-9]+\.jar"#)
            #expect(Set(puts.keys) == Set(after))
            #expect(puts.values.allSatisfy { $0.count == 1 })
            // …and what was recorded in shadow stays recorded, never sent
            for event in shadowEvents { #expect(try await harness.jobs(of: event).map(\.state) == [.shadow]) }
            for file in before {
                #expect(
                    harness.simulator.state.item(repo: "libs-release-local", path: file)?.properties.isEmpty == true)
            }
        }
    }

    @Test("rules.mode: shadow in the config puts every rule in shadow but one that says mode: live")
    func configDefault() async throws {
        let rules = """
            rules:
              - name: inherits
                on: artifact.deployed
                do:
                  - set_properties: { inherited: "yes" }
              - name: overrides
                mode: live
                on: artifact.deployed
                do:
                  - set_properties: { overridden: "yes" }

            """
        try await DeliveryHarness.run(
            rules: rules, rulesSection: "rules:\n  directory: rules\n  mode: shadow"
        ) { harness, client in
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            #expect(ack.planned == 2)
            let jobs = try await harness.jobs(of: ack.event_id)
            #expect(jobs.map(\.rule) == ["inherits", "overrides"])
            #expect(jobs.first?.state == .shadow)
            #expect(try await harness.waitForJob(jobs[1].id) == .done)
            let item = try #require(harness.simulator.state.item(repo: "libs-release-local", path: "com/acme/a.jar"))
            #expect(item.properties["overridden"] == ["yes"])
            #expect(item.properties["inherited"] == nil)
            #expect(harness.simulator.state.requests.count == 1)
            #expect(try await harness.jobs(of: ack.event_id).first?.state == .shadow)
        }
    }

    @Test("shadow jobs are no backlog: far more than worker.max_pending of them defer nothing")
    func noBackpressure() async throws {
        let files = (0..<20).map { "com/acme/\($0).jar" }
        try await DeliveryHarness.run(
            rules: Self.rules(trialMode: "shadow"), worker: "backoff_base: 100ms\nmax_pending: 3", files: files
        ) { harness, client in
            var acks: [Acknowledgement] = []
            for file in files.prefix(10) { acks.append(try await harness.post(client, DeliveryHarness.deployed(file))) }
            // The backlog has been read from the store since (it sets the jobs gauge as it reads).
            _ = try await harness.admin.scrape { $0.value("artifactory_hooks_jobs", ["state": "shadow"]) == 10 }
            for file in files.dropFirst(10) {
                acks.append(try await harness.post(client, DeliveryHarness.deployed(file)))
            }
            #expect(acks.allSatisfy { $0.planned == 1 })
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "shadow"]) == 20
            }
            #expect(metrics.value("artifactory_hooks_events_deferred_total") == 0)
            #expect(metrics.value("artifactory_hooks_backpressure_active") == 0)
        }
    }
}

extension DeliveryHarness {
    /// Waits until job `id` has finished (done, dead or cancelled), up to 20 s; returns its state.
    func waitForJob(_ id: Int64) async throws -> StoredJob.State? {
        for _ in 0..<1000 {
            let store = try await daemon.openStore()
            let state = try await store.job(id: id)?.state
            try await store.close()
            if let state, [.done, .dead, .cancelled].contains(state) { return state }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Guards: require: is checked by the worker just before the call", .timeLimit(.minutes(1)))
struct GuardDeliveryTests {
    static let unlessLocked = """
        rules:
          - name: qa-unless-locked
            on: artifact.deployed
            do:
              - set_properties: { qa.status: pending }
                require:
                  item.properties.locked: { not: "true" }
        """

    /// Whether the simulator answered a property `PUT` on `path`.
    static func wasTagged(_ state: SimulatorState, _ path: String) -> Bool {
        state.requests.contains { $0.method == "PUT" && $0.target.contains(path) }
    }

    @Test("a locked artifact is skipped with the reason and gets no call; an unlocked one gets the call")
    func lockedSkipped() async throws {
        try await DeliveryHarness.run(rules: Self.unlessLocked) { harness, client in
            // Given a locked and an unlocked artifact
            let state = harness.simulator.state
            try state.addFile(repo: "libs-release-local", path: "com/acme/locked.jar", properties: ["locked": ["true"]])
            try state.addFile(repo: "libs-release-local", path: "com/acme/open.jar", properties: ["locked": ["no"]])

            // When both are deployed
            let locked = try await harness.post(client, DeliveryHarness.deployed("com/acme/locked.jar"))
            let open = try await harness.post(client, DeliveryHarness.deployed("com/acme/open.jar"))

            // Then the locked one's job is skipped, with the reason, and nothing was sent for it…
            let skipped = try #require(try await harness.waitForJobs(of: locked.event_id).first)
            #expect(skipped.state == .skipped)
            #expect(skipped.lastError == #"item.properties.locked is "true"; wanted {not: "true"}"#)
            #expect(!Self.wasTagged(state, "com/acme/locked.jar"))
            #expect(state.item(repo: "libs-release-local", path: "com/acme/locked.jar")?.properties["qa.status"] == nil)
            let attempts = try await harness.attempts(of: skipped.id)
            #expect(attempts.map(\.outcome) == ["skipped"])
            // …while the open one got its call.
            let done = try #require(try await harness.waitForJobs(of: open.event_id).first)
            #expect(done.state == .done, "\(String(describing: done.lastError))")
            #expect(
                state.item(repo: "libs-release-local", path: "com/acme/open.jar")?.properties["qa.status"] == [
                    "pending"
                ])

            // `events show` marks it, /metrics counts it by rule and in the jobs gauge.
            let shown = EventTable.plan(jobs: [skipped], failures: [])
            #expect(shown.contains("skipped  qa-unless-locked do[0] set_properties (skipped"), "\(shown)")
            #expect(shown.contains(#"last error: item.properties.locked is "true""#), "\(shown)")
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "skipped"]) == 1
            }
            #expect(metrics.value("artifactory_hooks_skipped_jobs_total", ["rule": "qa-unless-locked"]) == 1)

            // `jobs list --state skipped` lists exactly it.
            let process = try DaemonProcess(
                ["jobs", "list", "--config", harness.daemon.configPath, "--state", "skipped"])
            #expect(try await process.waitForExit() == 0)
            let rows = process.printed.split(separator: "\n").dropFirst().map {
                $0.split(separator: " ").map(String.init)
            }
            #expect(rows.map(\.first) == ["\(skipped.id)"], "\(process.printed)")
        }
    }

    @Test("a missing artifact has item.exists false and no properties: the guard reads a 404 as an answer")
    func missingItem() async throws {
        let rules = """
            rules:
              - name: only-if-there
                on: artifact.deployed
                require: { item.exists: true }
                do:
                  - set_properties: { seen: "yes" }
            """
        try await DeliveryHarness.run(rules: rules) { harness, client in
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/gone.jar"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(job.state == .skipped)
            #expect(job.lastError == #"item.exists is "false"; wanted "true""#)
        }
    }

    static let onRelease = """
        rules:
          - name: notes-on-release
            on: build.promoted
            when: { build_name: payments }
            require: { build.status: released }
            do:
              - set_properties: { released: "{{ data.build_number }}" }
                repo: libs-release-local
                path: "pay/{{ data.build_number }}/a.jar"
        """

    @Test("a build promoted to released acts; one promoted to staged is skipped")
    func promotionStatus() async throws {
        try await DeliveryHarness.run(rules: Self.onRelease) { harness, client in
            let state = harness.simulator.state
            try state.addBuild(name: "payments", number: "42", files: [("libs-release-local", "pay/42/a.jar")])
            try state.addBuild(name: "payments", number: "43", files: [("libs-release-local", "pay/43/a.jar")])
            // The event does not say the status: Build Info's last promotion does.
            try state.recordPromotion(name: "payments", number: "42", status: "staged")
            try state.recordPromotion(name: "payments", number: "42", status: "released")
            try state.recordPromotion(name: "payments", number: "43", status: "staged")

            let released = try await harness.post(client, FanOutDeliveryTests.promoted("payments", "42"))
            let staged = try await harness.post(client, FanOutDeliveryTests.promoted("payments", "43"))

            let acted = try #require(try await harness.waitForJobs(of: released.event_id).first)
            #expect(acted.state == .done, "\(String(describing: acted.lastError))")
            #expect(state.item(repo: "libs-release-local", path: "pay/42/a.jar")?.properties["released"] == ["42"])
            let skipped = try #require(try await harness.waitForJobs(of: staged.event_id).first)
            #expect(skipped.state == .skipped)
            #expect(skipped.lastError == #"build.status is "staged"; wanted "released""#)
            #expect(state.item(repo: "libs-release-local", path: "pay/43/a.jar")?.properties["released"] == nil)
        }
    }

    @Test("a guard whose lookup gets a 500 is retried like a failed call, then acts")
    func lookupRetried() async throws {
        try await DeliveryHarness.run(rules: Self.unlessLocked) { harness, client in
            let state = harness.simulator.state
            // The next request, the guard's lookup, fails once.
            state.injectFault(.status(500))
            let ack = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(job.state == .done, "\(String(describing: job.lastError))")
            let attempts = try await harness.attempts(of: job.id)
            #expect(attempts.map(\.outcome) == ["retry", "success"])
            #expect(attempts.first?.httpStatus == 500)
            #expect(
                state.item(repo: "libs-release-local", path: "com/acme/a.jar")?.properties["qa.status"] == ["pending"])
        }
    }

    @Test("for_each: the expansion runs only for a released build, and each found item's own guard holds or skips it")
    func forEachGuards() async throws {
        let rules = """
            rules:
              - name: release-artifacts
                on: build.promoted
                require: { build.status: released }
                do:
                  - for_each: build_artifacts
                    set_properties: { release.version: "{{ data.build_number }}" }
                    require: { item.properties.locked: { not: "true" } }
            """
        try await DeliveryHarness.run(rules: rules) { harness, client in
            let state = harness.simulator.state
            try state.addBuild(
                name: "payments", number: "42",
                files: [("libs-release-local", "pay/42/a.jar"), ("libs-release-local", "pay/42/b.jar")])
            // b.jar is locked (stored again with its build properties and the lock).
            try state.addFile(
                repo: "libs-release-local", path: "pay/42/b.jar",
                properties: ["build.name": ["payments"], "build.number": ["42"], "locked": ["true"]])
            try state.addBuild(name: "payments", number: "43", files: [("libs-release-local", "pay/43/a.jar")])
            try state.recordPromotion(name: "payments", number: "42", status: "released")
            try state.recordPromotion(name: "payments", number: "43", status: "staged")

            let released = try await harness.post(client, FanOutDeliveryTests.promoted("payments", "42"))
            let jobs = try await harness.waitForJobs(of: released.event_id)
            #expect(jobs.count == 3)
            let bySubject = Dictionary(jobs.map { ($0.subject, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(jobs.first { $0.kind == NewJob.expansionKind }?.state == .done)
            #expect(bySubject["artifact:libs-release-local/pay/42/a.jar"]?.state == .done)
            let locked = bySubject["artifact:libs-release-local/pay/42/b.jar"]
            #expect(locked?.state == .skipped)
            #expect(locked?.lastError == #"item.properties.locked is "true"; wanted {not: "true"}"#)
            #expect(
                state.item(repo: "libs-release-local", path: "pay/42/a.jar")?.properties["release.version"] == ["42"])
            #expect(state.item(repo: "libs-release-local", path: "pay/42/b.jar")?.properties["release.version"] == nil)

            // A staged build's expansion is skipped before its query: no child, no search.
            state.clearRequests()
            let staged = try await harness.post(client, FanOutDeliveryTests.promoted("payments", "43"))
            let stagedJobs = try await harness.waitForJobs(of: staged.event_id)
            #expect(stagedJobs.map(\.state) == [.skipped])
            #expect(stagedJobs.first?.lastError == #"build.status is "staged"; wanted "released""#)
            #expect(!state.requests.contains { $0.target.contains("api/search/aql") })
        }
    }
}

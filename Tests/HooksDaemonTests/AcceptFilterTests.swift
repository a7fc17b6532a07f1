import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HTTPTypes
import HooksDaemon
import HummingbirdTesting
import NIOCore
import Storage
import Testing
import YAMLDiagnostics

/// An endpoint's `accept:` filter: the events it does not take are stored as ignored, with why,
/// and never planned; `events replay` applies the filter as configured then.
@Suite("Endpoint accept: filter", .timeLimit(.minutes(1)))
struct AcceptFilterTests {
    static let endpoints = """
          - name: main
            auth: hmac-sha256
            secret_file: secret-main
            accept:
              origin: https://art.prod.acme.com
        """

    /// An artifact.deployed body for libs-release-local/`path`, sent by `origin` when given.
    static func deployed(_ path: String, origin: String?) -> String {
        var data = JSONObjectWriter()
        data.string("repo_key", "libs-release-local")
        data.string("path", path)
        data.string("name", "a.jar")
        var envelope = JSONObjectWriter()
        envelope.string("jpd_origin", origin)
        let tail = envelope.finished.dropFirst()
        return #"{"domain":"artifact","event_type":"deployed","data":"# + data.finished
            + (tail == "}" ? "}" : "," + tail)
    }

    @Test("events the filter does not take are stored as ignored, unplanned, counted; the others act")
    func ignoredEventsAreStoredNotPlanned() async throws {
        try await DeliveryHarness.run(
            rules: DeliveryHarness.tagOnDeployRules, files: ["a.jar", "b.jar", "c.jar"], endpoints: Self.endpoints
        ) { harness, client in
            // Given a staging event, an event without jpd_origin, and a production event
            let staging = try await harness.post(client, Self.deployed("a.jar", origin: "https://art.staging.acme.com"))
            let unsent = try await harness.post(client, Self.deployed("b.jar", origin: nil))
            let production = try await harness.post(client, Self.deployed("c.jar", origin: "https://art.prod.acme.com"))

            // Then only the production event planned a job, and it ran
            #expect(staging.planned == 0)
            #expect(unsent.planned == 0)
            #expect(production.planned == 1)
            let jobs = try await harness.waitForJobs(of: production.event_id)
            #expect(jobs.map(\.state) == [.done])
            #expect(try await harness.jobs(of: staging.event_id).isEmpty)
            let state = harness.simulator.state
            #expect(state.item(repo: "libs-release-local", path: "a.jar")?.properties["qa.status"] == nil)
            #expect(state.item(repo: "libs-release-local", path: "c.jar")?.properties["qa.status"] == ["pending"])

            // And the ignored events are stored with the reason, shown by events show
            let events = try await harness.daemon.storedEvents()
            let byID = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) })
            let stagingReason = try #require(byID[staging.event_id]?.ignored)
            #expect(stagingReason.contains("accept.origin"), "\(stagingReason)")
            #expect(stagingReason.contains("https://art.staging.acme.com"), "\(stagingReason)")
            #expect(byID[unsent.event_id]?.ignored?.contains("the event has no origin") == true)
            #expect(byID[production.event_id]?.ignored == nil)
            let shown = EventTable.detail(try #require(byID[staging.event_id]))
            #expect(shown.contains("ignored:       not planned: the endpoint's accept: does not take it"), "\(shown)")

            // And /metrics counts them apart
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_events_received_total", ["outcome": "ignored"]) == 2
            }
            #expect(metrics.value("artifactory_hooks_events_received_total", ["outcome": "accepted"]) == 1)
        }
    }

    @Test("the acknowledgement says ignored; a duplicate of an ignored event says duplicate")
    func acknowledgementSaysIgnored() async throws {
        try await DeliveryHarness.run(rules: DeliveryHarness.tagOnDeployRules, endpoints: Self.endpoints) {
            harness, client in
            let body = Array(Self.deployed("com/acme/a.jar", origin: "https://elsewhere").utf8)
            for expected in [#""ignored":true"#, #""duplicate":true"#] {
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(body),
                    body: .init(bytes: body))
                #expect(response.status == .accepted)
                let text = String(buffer: response.body)
                #expect(text.contains(expected), "\(text)")
            }
        }
    }

    @Test("events replay applies the endpoint's accept: as configured now")
    func replayUsesTheCurrentFilter() async throws {
        try await DeliveryHarness.run(rules: DeliveryHarness.tagOnDeployRules, endpoints: Self.endpoints) {
            harness, client in
            let ack = try await harness.post(client, Self.deployed("com/acme/a.jar", origin: "https://staging"))
            #expect(ack.planned == 0)
            let config = harness.daemon.configPath
            let still = try DaemonProcess(["events", "replay", "--config", config, "--dry-run", "\(ack.event_id)"])
            #expect(try await still.waitForExit() == 0)
            #expect(still.printed.contains("event \(ack.event_id): skipped (its endpoint's accept: does not take it"))

            // The filter removed from the config: the replay plans it.
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try text.replacingOccurrences(of: "accept:\n      origin: https://art.prod.acme.com", with: "")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let now = try DaemonProcess(["events", "replay", "--config", config, "\(ack.event_id)"])
            #expect(try await now.waitForExit() == 0)
            #expect(now.printed.contains("event \(ack.event_id): 1 job(s)"), "\(now.printed)")
            #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.done])
        }
    }

    @Test("a bad accept: is refused at its line, with a did-you-mean")
    func badFilterIsRefused() {
        let text = """
            endpoints:
              - name: main
                auth: none
                accept:
                  orign: https://art.prod.acme.com
            """
        let lines: [String]
        do {
            _ = try DaemonConfig.parse(text: text, file: "c.yml", environment: [:])
            Issue.record("the config loaded")
            return
        } catch {
            lines = error.diagnostics.map(\.description)
        }
        #expect(
            lines.contains { $0.hasPrefix("c.yml:5:7: error: endpoints[0].accept.orign: unknown condition \"orign\"") },
            "\(lines)")
        #expect(lines.contains { $0.contains("did you mean \"origin\"?") }, "\(lines)")
    }
}

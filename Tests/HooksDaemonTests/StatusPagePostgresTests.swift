import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Status page: several daemons on one PostgreSQL", .timeLimit(.minutes(3)))
struct StatusPagePostgresTests {
    @Test(
        "the page of a daemon that received nothing shows the events and dead letters another received",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func wholePicture() async throws {
        let database = try await TestPostgres.createDatabase()
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try simulator.state.addFile(repo: "libs-release-local", path: "com/acme/a.jar", size: 5)
        do {
            try await simulator.withRunning { baseURL in
                let daemons = try (0..<2).map { _ in
                    try TestDaemon.callingArtifactory(
                        at: baseURL, rules: StatusPageTests.rules, worker: "backoff_base: 100ms",
                        token: DeliveryHarness.token, store: "postgres: \(database.url)\ntls: disable")
                }
                defer { for daemon in daemons { daemon.directory.remove() } }
                let watcher = AdminListener()
                let first = try await buildApplication(config: try daemons[0].config(), logger: TestDaemon.logger)
                let second = try await buildApplication(
                    config: try daemons[1].config(), logger: TestDaemon.logger, onAdminListening: watcher.bound)
                try await first.test(.live) { one in
                    try await second.test(.live) { _ in
                        // Given two deliveries to the first daemon: one call succeeds, one dies (404)
                        let harness = DeliveryHarness(daemon: daemons[0], simulator: simulator, admin: watcher)
                        let done = try await harness.post(one, DeliveryHarness.deployed("com/acme/a.jar"))
                        let dead = try await harness.post(one, DeliveryHarness.deployed("com/acme/gone.jar"))

                        // When the worker finished both (read through the second daemon's page)
                        func listed(_ path: String, event: Int64) async throws -> PageAnswer {
                            var page = try await watcher.fetch(path)
                            for _ in 0..<500 where !page.body.contains(#"href="/ui/events/\#(event)""#) {
                                try await Task.sleep(for: .milliseconds(20))
                                page = try await watcher.fetch(path)
                            }
                            return page
                        }
                        _ = try await listed("/ui/jobs?state=done", event: done.event_id)
                        let deadLetters = try await listed("/ui/jobs?state=dead", event: dead.event_id)
                        let deadJob = try #require(deadLetters.body.firstMatch(of: /href="\/ui\/jobs\/([0-9]+)"/)?.1)

                        // Then the second daemon's page shows them all
                        let events = try await watcher.fetch("/ui/events")
                        #expect(events.body.contains(#"href="/ui/events/\#(done.event_id)""#))
                        #expect(events.body.contains(#"href="/ui/events/\#(dead.event_id)""#))
                        let job = try await watcher.fetch("/ui/jobs/\(deadJob)")
                        #expect(job.body.contains("HTTP 404"))
                        let overview = try await watcher.fetch("/ui")
                        #expect(overview.status == 200)
                        #expect(overview.body.contains(#"<rect class="s-stored""#))
                        #expect(overview.body.contains(#"<rect class="s-dead""#))
                        let rules = try await watcher.fetch("/ui/rules")
                        #expect(rules.body.contains(#"href="/ui/jobs?state=dead&amp;rule=tag-on-deploy""#))
                    }
                }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

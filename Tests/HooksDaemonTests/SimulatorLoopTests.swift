import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The whole loop offline, with the simulator as a sender: `subscriptions apply` registers the
/// webhooks, the simulator's own changes POST signed webhook bodies to the real daemon, a rule's
/// call makes the simulator send its echo, and deliveries that failed while the daemon was down are
/// read back by catch-up.
@Suite("The loop with Artifactory end to end, the simulator sending", .timeLimit(.minutes(4)))
struct SimulatorLoopTests {
    static func subscriptions(port: Int, echo: Bool, catchUp: String) -> String {
        """
        subscriptions:
          key_prefix: hooks-
          public_url: http://127.0.0.1:\(port)
          webhooks:
            - key: hooks-deploys
              endpoint: main
              domain: artifact
              event_types: [deployed]
              criteria: { any_local: true }
        \(echo ? """
            - key: hooks-properties
              endpoint: main
              domain: artifact_property
              event_types: [added]
              criteria: { any_local: true }
        """ : "")
        catch_up:
          interval: \(catchUp)
        """
    }

    /// A simulator that retries quickly and whose clock is `offset` from the host's.
    static func simulator(clockOffset: Duration = .zero) -> ArtifactorySimulator {
        var configuration = ArtifactorySimulator.Configuration(
            tokens: [DeliveryHarness.token], repositories: ["libs-release-local"])
        configuration.webhookRetryDelays = [.milliseconds(10), .milliseconds(20)]
        configuration.webhookTimeout = .seconds(5)
        configuration.clockOffset = clockOffset
        return ArtifactorySimulator(configuration: configuration)
    }

    /// Runs `artifactory-hooks ARGUMENTS` to its end.
    static func command(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    /// Stops a daemon as systemd does and checks its output holds no secret.
    static func stop(_ process: DaemonProcess) async throws {
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0, "\(process.printed)")
        #expect(!process.printed.contains(TestDaemon.secret), "the secret was printed")
    }

    /// The daemon's SQLite files (database and write-ahead log) as text: no secret may be in them.
    static func storeText(_ daemon: TestDaemon) -> String {
        ["", "-wal"].compactMap { FileManager.default.contents(atPath: daemon.databasePath + $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    /// The jobs planned for `events`, all told.
    static func jobCount(_ daemon: TestDaemon, for events: [StoredEvent]) async throws -> Int {
        let store = try await daemon.openStore()
        var jobs = 0
        for event in events { jobs += try await store.jobs(forEvent: event.id).count }
        try await store.close()
        return jobs
    }

    /// Runs `body` with a running simulator, and the config of a daemon (not started) on a free
    /// port, `port`, whose subscriptions `subscriptions apply` has registered; the command's output
    /// holds no secret.
    static func withAppliedSubscriptions(
        echo: Bool, catchUp: String, clockOffset: Duration = .zero,
        _ body: @Sendable (_ simulator: ArtifactorySimulator, _ daemon: TestDaemon, _ port: Int) async throws -> Void
    ) async throws {
        let simulator = Self.simulator(clockOffset: clockOffset)
        let port = try LoopbackPort.unused()
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: DeliveryHarness.tagOnDeployRules, worker: "backoff_base: 100ms",
                token: DeliveryHarness.token,
                extra: Self.subscriptions(port: port, echo: echo, catchUp: catchUp), port: port)
            defer { daemon.directory.remove() }
            let applied = try await Self.command(["subscriptions", "apply", "--config", daemon.configPath])
            #expect(applied.status == 0, "\(applied.output)")
            #expect(!applied.output.contains(TestDaemon.secret))
            try await body(simulator, daemon, port)
        }
    }

    /// Runs `body` as ``withAppliedSubscriptions(echo:catchUp:clockOffset:_:)`` does, once the
    /// simulator holds `count` failed deliveries, each a deployment under `folder` sent while no
    /// daemon listened (three attempts each, then a troubleshooting record ten minutes old, so
    /// catch-up reads them at once); catch-up runs every hour.
    static func withFailedDeliveries(
        _ count: Int, folder: String, _ body: @Sendable (ArtifactorySimulator, TestDaemon) async throws -> Void
    ) async throws {
        try await withAppliedSubscriptions(echo: false, catchUp: "1h", clockOffset: .seconds(-600)) {
            simulator, daemon, _ in
            for index in 0..<count {
                try simulator.state.deploy(
                    repo: "libs-release-local", path: "com/acme/\(folder)/\(index)/\(folder)-\(index).jar",
                    content: [UInt8(index % 256)])
            }
            #expect(await simulator.state.webhooksSettled(timeout: .seconds(60)))
            #expect(simulator.state.sentWebhooks.count == count)
            #expect(simulator.state.sentWebhooks.allSatisfy { $0.status == nil && $0.attempts == 3 })
            #expect(simulator.state.troubleshootingRecords.count == count)
            try await body(simulator, daemon)
        }
    }

    /// Polls (`seconds` at most) until `count` files carry the rule's tag.
    static func waitForTags(_ simulator: ArtifactorySimulator, count: Int, seconds: Int = 60) async throws {
        for _ in 0..<(seconds * 50) {
            let tagged = simulator.state.items(repo: "libs-release-local")
                .filter { $0.properties["qa.status"] == ["pending"] }.count
            if tagged >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the files were not all tagged")
    }

    @Test("apply, deploy: the signed webhook runs the rule; the property echo is self-caused, one hop")
    func echoLoop() async throws {
        // Given the subscriptions registered from the config.
        try await Self.withAppliedSubscriptions(echo: true, catchUp: "0") { simulator, daemon, port in
            #expect(simulator.state.subscriptions.count == 2)
            #expect(
                simulator.state.subscriptions.allSatisfy {
                    $0.handlers.first?.secret == TestDaemon.secret && $0.handlers.first?.useSecretForSigning == true
                })

            // When a file is deployed while the daemon runs.
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            #expect(try await process.waitUntilListening() == port)
            try simulator.state.deploy(
                repo: "libs-release-local", path: "com/acme/app/1.0/app-1.0.jar", content: Array("jar".utf8))

            // Then the deployment arrives signed, the rule tags the file, and the tag's echo comes back.
            try await Self.waitForTags(simulator, count: 1)
            let events = try await daemon.waitForEvents { $0.count >= 2 }
            #expect(await simulator.state.webhooksSettled())
            let settled = try await daemon.storedEvents()
            #expect(settled.count == 2, "the loop went on: \(settled.map(\.eventType))")
            let deployed = try #require(events.first { $0.eventType == "deployed" })
            let echo = try #require(events.first { $0.eventType == "added" })
            #expect(
                deployed.arrival == .delivery && deployed.subscriptionKey == "hooks-deploys" && !deployed.selfCaused)
            #expect(echo.selfCaused && echo.subscriptionKey == "hooks-properties" && echo.duplicateOf == nil)
            let store = try await daemon.openStore()
            #expect(try await store.jobs(forEvent: deployed.id).count == 1)
            #expect(try await store.jobs(forEvent: echo.id).isEmpty)
            try await store.close()
            let sent = simulator.state.sentWebhooks
            #expect(sent.count == 2 && sent.allSatisfy { $0.status == 202 && $0.attempts == 1 }, "\(sent)")

            try await Self.stop(process)
            #expect(!Self.storeText(daemon).contains(TestDaemon.secret), "the secret is in the store")
        }
    }

    @Test("200 deployments while the daemon is down: failed, then caught up at start once each; a rerun adds nothing")
    func downThenCatchUp() async throws {
        // Given 200 deployments while nothing listens: each webhook failed its three attempts.
        try await Self.withFailedDeliveries(200, folder: "b") { simulator, daemon in
            // When the daemon starts: its start-up catch-up stores each once and the rule runs once each.
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            _ = try await process.waitUntilListening()
            try await Self.waitForTags(simulator, count: 200)
            let events = try await daemon.waitForEvents { $0.count >= 200 }
            #expect(events.count == 200)
            #expect(events.allSatisfy { $0.arrival == .catchUp && $0.duplicateOf == nil })
            #expect(Set(events.compactMap(\.path)).count == 200)
            #expect(try await Self.jobCount(daemon, for: events) == 200)
            try await Self.stop(process)

            // Then a second run, by the command, finds nothing new.
            let again = try await Self.command(["catch-up", "--config", daemon.configPath])
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("0 new"), "\(again.output)")
            #expect(try await daemon.storedEvents().count == 200)
            #expect(!Self.storeText(daemon).contains(TestDaemon.secret), "the secret is in the store")
        }
    }

    @Test("SIGKILL in the middle of catching 600 failed deliveries up: after a restart each is stored and run once")
    func killedMidCatchUp() async throws {
        try await Self.withFailedDeliveries(600, folder: "k") { simulator, daemon in
            try await Self.killMidCatchUpAndRestart(simulator, daemon, total: 600)
        }
    }

    /// Starts the daemon, SIGKILLs it once its start-up catch-up has stored some of the `total`
    /// failed deliveries, starts it again and checks each delivery became one event and one job.
    static func killMidCatchUpAndRestart(_ simulator: ArtifactorySimulator, _ daemon: TestDaemon, total: Int)
        async throws
    {
        // Given a daemon killed while its start-up catch-up has stored some of them.
        let first = try DaemonProcess(["serve", "--config", daemon.configPath])
        _ = try await first.waitUntilListening()
        let before = try await daemon.waitForEvents { !$0.isEmpty }
        first.send(SIGKILL)
        _ = try await first.waitForExit()
        let stored = try await daemon.storedEvents().count
        #expect(!before.isEmpty)

        // When it starts again: the killed daemon's lease holds its successor back for a minute.
        let second = try DaemonProcess(["serve", "--config", daemon.configPath])
        _ = try await second.waitUntilListening()
        try await Self.waitForTags(simulator, count: total, seconds: 150)
        let events = try await daemon.waitForEvents { events in
            events.count { $0.duplicateOf == nil } >= total
        }
        try await Self.stop(second)

        // Then each delivery is one event (a re-read one is a duplicate that plans nothing) and one job.
        let originals = events.filter { $0.duplicateOf == nil }
        #expect(originals.count == total, "killed after \(stored) of \(total) stored")
        #expect(Set(originals.compactMap(\.path)).count == total)
        #expect(try await Self.jobCount(daemon, for: events) == total)
    }
}

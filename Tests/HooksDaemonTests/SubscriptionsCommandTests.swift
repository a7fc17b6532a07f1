import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Testing

/// `subscriptions plan` and `apply` as the binary runs them, against the simulator's Event API:
/// create, no drift, a field-by-field update, prune; the secret in no output.
@Suite("subscriptions plan and apply against the simulator", .timeLimit(.minutes(2)))
struct SubscriptionsCommandTests {
    static func subscriptions(eventTypes: String, description: String) -> String {
        """
        subscriptions:
          key_prefix: hooks-
          public_url: https://hooks.example.com
          webhooks:
            - key: hooks-deploys
              description: \(description)
              endpoint: main
              domain: artifact
              event_types: \(eventTypes)
              criteria: { any_local: true, repos: [libs-release-local] }
            - key: hooks-builds
              endpoint: tok
              domain: build
              event_types: [promoted]
              criteria: { any_build: true }
        """
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        #expect(!process.printed.contains(TestDaemon.secret), "the secret was printed")
        #expect(!process.printed.contains("old-secret-value"), "a secret was printed")
        return (status, process.printed)
    }

    @Test("plan, apply, no drift, an update field by field, prune of the prefix only")
    func planApplyPrune() async throws {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: [DeliveryHarness.token]))
        let manual = SimulatedSubscription(
            key: "manual-audit", domain: "artifact", eventTypes: ["deleted"],
            handlers: [.init(url: "https://audit.example.com/")])
        simulator.state.addSubscription(manual)
        simulator.state.addSubscription(
            SimulatedSubscription(
                key: "hooks-stale", domain: "build", eventTypes: ["uploaded"],
                handlers: [.init(url: "https://hooks.example.com/webhooks/main")]))
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon(
                extra: """
                    artifactory:
                      url: \(baseURL.absoluteString)
                      token_file: token
                    \(Self.subscriptions(eventTypes: "[deployed, copied]", description: "Deployments"))
                    """)
            defer { daemon.directory.remove() }
            try daemon.directory.write("token", DeliveryHarness.token)
            let config = ["--config", daemon.configPath]

            // Given an Event API without our subscriptions, plan shows two to create and exits 2.
            let first = try await Self.run(["subscriptions", "plan"] + config)
            #expect(first.status == 2, "\(first.output)")
            #expect(first.output.contains("+ hooks-deploys: create"), "\(first.output)")
            #expect(first.output.contains("artifact [deployed, copied] → https://hooks.example.com/webhooks/main"))
            #expect(first.output.contains("+ hooks-builds: create"))
            #expect(first.output.contains("? hooks-stale: not in the config; apply --prune deletes it"))
            #expect(!first.output.contains("manual-audit"))

            // When applied, Artifactory holds both with the endpoints' secrets and signing modes.
            let applied = try await Self.run(["subscriptions", "apply"] + config)
            #expect(applied.status == 0, "\(applied.output)")
            #expect(applied.output.contains("created hooks-deploys") && applied.output.contains("created hooks-builds"))
            let deploys = try #require(simulator.state.subscriptions.first { $0.key == "hooks-deploys" })
            #expect(deploys.handlers.first?.secret == TestDaemon.secret)
            #expect(deploys.handlers.first?.useSecretForSigning == true)
            #expect(deploys.handlers.first?.url == "https://hooks.example.com/webhooks/main")
            let builds = try #require(simulator.state.subscriptions.first { $0.key == "hooks-builds" })
            #expect(builds.handlers.first?.useSecretForSigning == false)
            #expect(builds.handlers.first?.url == "https://hooks.example.com/webhooks/tok")

            // Then plan sees no drift and exits 0; apply again sends nothing.
            let again = try await Self.run(["subscriptions", "plan"] + config)
            #expect(again.status == 0, "\(again.output)")
            #expect(
                again.output.contains("= hooks-deploys: unchanged")
                    && again.output.contains("= hooks-builds: unchanged"))
            simulator.state.clearRequests()
            let idle = try await Self.run(["subscriptions", "apply"] + config)
            #expect(idle.status == 0 && idle.output.contains("unchanged hooks-deploys"), "\(idle.output)")
            #expect(simulator.state.requests.map(\.method) == ["GET"])

            // When the event list and description change, plan shows each field and exits 2.
            try daemon.directory.write(
                "config.yml",
                try String(contentsOfFile: daemon.configPath, encoding: .utf8)
                    .replacingOccurrences(of: "[deployed, copied]", with: "[deployed, moved]")
                    .replacingOccurrences(of: "description: Deployments", with: "description: Releases"))
            let drift = try await Self.run(["subscriptions", "plan"] + config)
            #expect(drift.status == 2, "\(drift.output)")
            #expect(drift.output.contains("~ hooks-deploys: update"))
            #expect(drift.output.contains(#"description: "Deployments" → "Releases""#))
            #expect(drift.output.contains("event_types: [deployed, copied] → [deployed, moved]"))
            #expect(drift.output.contains("= hooks-builds: unchanged"))
            #expect(drift.output.contains("1 to create, 1 to update") == false)
            #expect(drift.output.contains("0 to create, 1 to update, 0 to delete, 1 unchanged."))

            // Then apply --prune updates it and deletes the stale prefixed one, not the manual one.
            let pruned = try await Self.run(["subscriptions", "apply", "--prune"] + config)
            #expect(pruned.status == 0, "\(pruned.output)")
            #expect(pruned.output.contains("updated hooks-deploys") && pruned.output.contains("deleted hooks-stale"))
            #expect(
                simulator.state.subscriptions.map(\.key).sorted() == ["hooks-builds", "hooks-deploys", "manual-audit"])
            #expect(simulator.state.subscriptions.first { $0.key == "manual-audit" } == manual)
            let updated = try #require(simulator.state.subscriptions.first { $0.key == "hooks-deploys" })
            #expect(updated.eventTypes == ["deployed", "moved"] && updated.description == "Releases")
            let settled = try await Self.run(["subscriptions", "plan", "--prune"] + config)
            #expect(settled.status == 0, "\(settled.output)")

            // apply --all sends every subscription again (a rotated secret reaches Artifactory).
            simulator.state.clearRequests()
            let all = try await Self.run(["subscriptions", "apply", "--all"] + config)
            #expect(all.status == 0 && all.output.contains("updated hooks-builds"), "\(all.output)")
            #expect(simulator.state.requests.map(\.method) == ["GET", "PUT", "PUT"])

            // test with a key the config lacks says so (SubscriptionTestEventTests tests the rest).
            let unknown = try await Self.run(["subscriptions", "test", "hooks-nope"] + config)
            #expect(unknown.status == 1 && unknown.output.contains(#"no subscription "hooks-nope""#))
        }
    }

    @Test("Without an admin token the command fails with Artifactory's answer, exit 1")
    func refusedToken() async throws {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: [DeliveryHarness.token]))
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon(
                extra: """
                    artifactory:
                      url: \(baseURL.absoluteString)
                      token_file: token
                    \(Self.subscriptions(eventTypes: "[deployed]", description: "x"))
                    """)
            defer { daemon.directory.remove() }
            try daemon.directory.write("token", "wrong-token")
            let plan = try await Self.run(["subscriptions", "plan", "--config", daemon.configPath])
            #expect(plan.status == 1, "\(plan.output)")
            #expect(plan.output.contains("401"), "\(plan.output)")
            #expect(!plan.output.contains("wrong-token"))
        }
    }
}

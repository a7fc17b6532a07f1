import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Testing
import YAMLDiagnostics

/// `subscriptions:`: webhooks for Artifactory's Event API, each naming a configured endpoint;
/// every mistake at its line.
@Suite("Config loading: subscriptions")
struct ConfigSubscriptionsTests {
    static let endpoints = """
        endpoints:
          - name: main
            auth: hmac-sha256
            secret_file: secret
          - name: tok
            auth: token
            secret_file: secret
          - name: open
            auth: none

        """

    static func parse(_ text: String) throws -> DaemonConfig {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("secret", "s3cret-value\n")
        return try DaemonConfig.parse(text: Self.endpoints + text, file: directory.path("c.yml"), environment: [:])
    }

    static func problems(_ text: String) throws -> [String] {
        do {
            _ = try parse(text)
            Issue.record("the config loaded")
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map { "\($0.line):\($0.column): \($0.keyPath): \($0.message)" }
        }
    }

    @Test func subscriptionsLoadWithTheirEndpointsModes() throws {
        let config = try Self.parse(
            """
            subscriptions:
              key_prefix: hooks-
              public_url: https://hooks.example.com/
              webhooks:
                - key: hooks-deploys
                  description: Deployments to the release repositories
                  endpoint: main
                  domain: artifact
                  event_types: [deployed, copied]
                  criteria:
                    any_local: true
                    repos: [libs-release-local]
                    include_patterns: ["com/acme/**"]
                - key: hooks-builds
                  endpoint: tok
                  enabled: false
                  url: https://other.example.com/webhooks/tok
                  domain: build
                  event_types: [promoted]
                  criteria: { builds: [payments] }
                  proxy: mainProxy
                - key: hooks-locks
                  endpoint: main
                  domain: user
                  event_types: [locked]
            """)
        let subscriptions = config.subscriptions
        #expect(subscriptions.keyPrefix == "hooks-")
        #expect(subscriptions.webhooks.map(\.key) == ["hooks-deploys", "hooks-builds", "hooks-locks"])
        let deploys = subscriptions.webhooks[0]
        #expect(deploys.url == "https://hooks.example.com/webhooks/main")
        #expect(deploys.useSecretForSigning)
        #expect(deploys.enabled && deploys.domain == .artifact && deploys.eventTypes == ["deployed", "copied"])
        #expect(
            deploys.criteria == [
                .init(name: "anyLocal", value: .flag(true)), .init(name: "anyRemote", value: .flag(false)),
                .init(name: "anyFederated", value: .flag(false)),
                .init(name: "repoKeys", value: .list(["libs-release-local"])),
                .init(name: "includePatterns", value: .list(["com/acme/**"])),
                .init(name: "excludePatterns", value: .list([])),
            ])
        let builds = subscriptions.webhooks[1]
        #expect(!builds.useSecretForSigning && !builds.enabled && builds.proxy == "mainProxy")
        #expect(builds.url == "https://other.example.com/webhooks/tok")
        #expect(builds.criteria.first { $0.name == "selectedBuilds" }?.value == .list(["payments"]))
        #expect(subscriptions.webhooks[2].criteria.isEmpty)
    }

    @Test func mistakesAreReportedAtTheirLine() throws {
        let lines = try Self.problems(
            """
            subscriptions:
              key_prefix: hooks-
              public_url: http://hooks.example.com
              webhook: []
              webhooks:
                - key: hooks-a
                  endpoint: mian
                  domain: artifact
                  event_types: [deployd]
                  criteria: { any_local: true }
                - key: other-b
                  endpoint: tok
                  domain: artifacts
                  event_types: [deployed]
                - key: hooks-c
                  endpoint: open
                  domain: build
                  event_types: [uploaded]
                  criteria: { include_patterns: ["a/**"], any_bild: true }
                - key: hooks-c
                  endpoint: main
                  domain: user
                  event_types: [locked]
                  criteria: { any_local: true }
            """)
        #expect(
            lines.contains(#"13:3: subscriptions.webhook: unknown key "webhook"; did you mean "webhooks"?"#), "\(lines)"
        )
        #expect(
            lines.contains(#"16:17: subscriptions.webhooks[0].endpoint: unknown endpoint "mian"; did you mean "main"?"#)
        )
        #expect(
            lines.contains(
                #"18:21: subscriptions.webhooks[0].event_types[0]: artifact has no event type "deployd"; did you mean "deployed"?"#
            ))
        #expect(
            lines.contains(#"20:12: subscriptions.webhooks[1].key: the key does not start with key_prefix "hooks-""#))
        #expect(
            lines.contains(
                #"22:15: subscriptions.webhooks[1].domain: unknown domain "artifacts"; did you mean "artifact"?"#))
        #expect(
            lines.contains {
                $0.hasPrefix("25:17: subscriptions.webhooks[2].endpoint: endpoint \"open\" uses auth: none")
            })
        #expect(
            lines.contains(
                #"28:47: subscriptions.webhooks[2].criteria.any_bild: unknown key "any_bild"; did you mean "any_build"?"#
            ))
        #expect(lines.contains(#"29:12: subscriptions.webhooks[3].key: subscription "hooks-c" is defined twice"#))
        #expect(
            lines.contains("33:17: subscriptions.webhooks[3].criteria: domain user takes no criteria; remove them"))
    }

    @Test func aTokenEndpointIsRefusedOverPlainHTTPAndCriteriaMustSelect() throws {
        let lines = try Self.problems(
            """
            subscriptions:
              public_url: http://hooks.example.com
              webhooks:
                - key: plain-token
                  endpoint: tok
                  domain: artifact
                  event_types: [deployed]
                  criteria: { any_local: true }
                - key: nothing
                  endpoint: main
                  domain: artifact
                  event_types: [deployed]
                  criteria: { any_local: false, include_patterns: ["**"] }
                - key: no-criteria
                  endpoint: main
                  domain: build
                  event_types: [uploaded]
            """)
        #expect(
            lines.contains {
                $0.hasPrefix("14:17: subscriptions.webhooks[0].endpoint: endpoint \"tok\" uses auth: token")
                    && $0.contains("plain HTTP")
            }, "\(lines)")
        #expect(
            lines.contains(
                "22:17: subscriptions.webhooks[1].criteria: the criteria select nothing: set one of any_local, any_remote, any_federated, repos"
            ))
        #expect(lines.contains { $0.hasPrefix("23:7: subscriptions.webhooks[2]: missing \"criteria\"") })
        #expect(!lines.joined().contains("s3cret-value"))
    }
}

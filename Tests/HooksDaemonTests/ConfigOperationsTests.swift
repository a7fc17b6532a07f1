import Foundation
import HooksDaemon
import Testing
import YAMLDiagnostics

@Suite("Config: admin listener, retention, backpressure")
struct ConfigOperationsTests {
    static let endpoints = "endpoints:\n  - name: m\n    auth: none\n"

    static func parse(_ text: String, environment: [String: String] = [:]) throws(DiagnosticsError) -> DaemonConfig {
        try DaemonConfig.parse(text: text + "\n" + endpoints, file: "/etc/ah/config.yml", environment: environment)
    }

    @Test("defaults: admin on 127.0.0.1:9465, retention 30 days in batches of 500, max_pending 10000")
    func defaults() throws {
        let config = try Self.parse("")
        #expect(config.adminListen?.description == "127.0.0.1:9465")
        #expect(config.retention.maxAge == .seconds(30 * 86400))
        #expect(config.retention.batchSize == 500)
        #expect(config.retention.interval == .seconds(3600))
        #expect(config.worker.maxPending == 10000)
    }

    @Test(
        "admin_listen takes host:port, or off / an empty string for none",
        arguments: [
            ("admin_listen: 0.0.0.0:9100", "0.0.0.0:9100"), ("admin_listen: \"[::1]:9465\"", "[::1]:9465"),
            ("admin_listen: off", nil), ("admin_listen: \"\"", nil), ("admin_listen: \"off\"", nil),
        ] as [(String, String?)])
    func adminListen(yaml: String, expected: String?) throws {
        #expect(try Self.parse(yaml).adminListen?.description == expected)
    }

    @Test("store.retention, its interval and batch, and worker.max_pending are read")
    func retentionAndBackpressure() throws {
        let config = try Self.parse(
            """
            store:
              retention: 7d
              retention_interval: 10m
              retention_batch: 100
            worker:
              max_pending: 50
            """)
        #expect(
            config.retention
                == DaemonConfig.Retention(maxAge: .seconds(7 * 86400), interval: .seconds(600), batchSize: 100))
        #expect(config.worker.maxPending == 50)
        #expect(try Self.parse("store:\n  retention: 0").retention.maxAge == nil)
    }

    @Test("environment overrides: ARTIFACTORY_HOOKS_ADMIN_LISTEN and ARTIFACTORY_HOOKS_STORE_RETENTION")
    func overrides() throws {
        let config = try Self.parse(
            "admin_listen: 127.0.0.1:1\nstore:\n  retention: 7d",
            environment: ["ARTIFACTORY_HOOKS_ADMIN_LISTEN": "off", "ARTIFACTORY_HOOKS_STORE_RETENTION": "12h"])
        #expect(config.adminListen == nil)
        #expect(config.retention.maxAge == .seconds(12 * 3600))
        #expect(DaemonConfig.environmentOverrides.contains { $0.variable == "ARTIFACTORY_HOOKS_ADMIN_LISTEN" })
    }

    @Test("every bad value is reported at once with file:line:column and key")
    func badValues() {
        do {
            _ = try Self.parse(
                """
                admin_listen: somewhere
                store:
                  retention: forever
                  retention_batch: 0
                worker:
                  max_pending: 0
                """)
            Issue.record("loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 4)
            #expect(
                lines.contains {
                    $0.hasPrefix("/etc/ah/config.yml:1:") && $0.contains("error: admin_listen: expected host:port")
                })
            #expect(
                lines.contains {
                    $0.hasPrefix("/etc/ah/config.yml:3:") && $0.contains("error: store.retention: expected a duration")
                })
            #expect(lines.contains { $0.contains("store.retention_batch: must be at least 1") })
            #expect(lines.contains { $0.contains("worker.max_pending: must be at least 1") })
        }
    }
}

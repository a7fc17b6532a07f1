import Foundation
import HooksDaemon
import Testing
import YAMLDiagnostics

@Suite("Config: store.max_bytes and endpoints[].rate_limit")
struct ConfigLimitsTests {
    static func parse(_ text: String, environment: [String: String] = [:]) throws(DiagnosticsError) -> DaemonConfig {
        try DaemonConfig.parse(text: text, file: "/etc/ah/config.yml", environment: environment)
    }

    static let endpoint = "endpoints:\n  - name: m\n    auth: none\n"

    @Test("both are off by default")
    func defaults() throws {
        let config = try Self.parse(Self.endpoint)
        #expect(config.storeMaxBytes == nil)
        #expect(config.endpoints.map(\.rateLimit) == [nil])
    }

    @Test(
        "store.max_bytes takes a size, or off",
        arguments: [("20GiB", 20 << 30), ("500MiB", 500 << 20), ("1000000", 1_000_000), ("off", nil), ("0", nil)]
            as [(String, Int?)])
    func maxBytes(text: String, expected: Int?) throws {
        #expect(try Self.parse("store:\n  max_bytes: \(text)\n" + Self.endpoint).storeMaxBytes == expected)
    }

    @Test("ARTIFACTORY_HOOKS_STORE_MAX_BYTES overrides store.max_bytes, off included")
    func maxBytesOverride() throws {
        let yaml = "store:\n  max_bytes: 1GiB\n" + Self.endpoint
        #expect(
            try Self.parse(yaml, environment: ["ARTIFACTORY_HOOKS_STORE_MAX_BYTES": "2GiB"]).storeMaxBytes == 2 << 30)
        #expect(try Self.parse(yaml, environment: ["ARTIFACTORY_HOOKS_STORE_MAX_BYTES": "off"]).storeMaxBytes == nil)
        #expect(DaemonConfig.environmentOverrides.contains { $0.variable == "ARTIFACTORY_HOOKS_STORE_MAX_BYTES" })
    }

    @Test("rate_limit takes per_second and burst; burst defaults to per_second rounded up")
    func rateLimit() throws {
        let config = try Self.parse(
            """
            endpoints:
              - name: a
                auth: none
                rate_limit: {per_second: 10, burst: 50}
              - name: b
                auth: none
                rate_limit:
                  per_second: 0.5
              - name: c
                auth: none
            """)
        #expect(
            config.endpoints.map(\.rateLimit) == [
                DaemonConfig.RateLimit(perSecond: 10, burst: 50), DaemonConfig.RateLimit(perSecond: 0.5, burst: 1), nil,
            ])
    }

    @Test("every bad limit is reported at once with file:line:column and key")
    func badValues() {
        do {
            _ = try Self.parse(
                """
                store:
                  max_bytes: lots
                endpoints:
                  - name: a
                    auth: none
                    rate_limit: {per_second: 0}
                  - name: b
                    auth: none
                    rate_limit: {per_second: 5, burst: 0}
                  - name: c
                    auth: none
                    rate_limit: {burst: 5}
                  - name: d
                    auth: none
                    rate_limit: {per_second: 5, brust: 5}
                """,
                environment: ["ARTIFACTORY_HOOKS_STORE_MAX_BYTES": "big"])
            Issue.record("loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 6, "\(lines)")
            #expect(
                lines.contains {
                    $0.hasPrefix("/etc/ah/config.yml:2:") && $0.contains("store.max_bytes: expected a size")
                }, "\(lines)")
            #expect(
                lines.contains {
                    $0.hasPrefix("/etc/ah/config.yml:6:") && $0.contains("per_second: expected a number")
                },
                "\(lines)")
            #expect(
                lines.contains { $0.hasPrefix("/etc/ah/config.yml:9:") && $0.contains("burst: must be at least 1") },
                "\(lines)")
            #expect(
                lines.contains { $0.hasPrefix("/etc/ah/config.yml:12:") && $0.contains("missing \"per_second\"") },
                "\(lines)")
            #expect(lines.contains { $0.hasPrefix("/etc/ah/config.yml:15:") && $0.contains("brust") }, "\(lines)")
            #expect(lines.contains { $0.contains("ARTIFACTORY_HOOKS_STORE_MAX_BYTES") }, "\(lines)")
        }
    }
}

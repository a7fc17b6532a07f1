import Foundation
import HooksDaemon
import Testing
import YAMLDiagnostics

/// Every key goes through one setting reader: a wrong file value is reported at FILE:LINE:COLUMN,
/// a wrong `ARTIFACTORY_HOOKS_*` variable without a place, and all of them at once, in order.
@Suite("Config: file values and their environment overrides")
struct ConfigSettingTests {
    static let file = """
        listen: not-an-address
        admin_listen: not-an-address
        store:
          synchronous: sometimes
          retention: forever
          retention_interval: 0
          max_bytes: lots
        ingest:
          max_body_bytes: big
          dedup_window: a while
          max_connections: 0
        admin:
          max_connections: x
        worker:
          lease: 0
          max_hops: 0
        endpoints:
          - name: m
            auth: none
        """

    static let wrongEnvironment = [
        "ARTIFACTORY_HOOKS_LISTEN": "nope",
        "ARTIFACTORY_HOOKS_ADMIN_LISTEN": "nope",
        "ARTIFACTORY_HOOKS_STORE_POSTGRES": "mysql://db/x",
        "ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS": "sometimes",
        "ARTIFACTORY_HOOKS_STORE_RETENTION": "forever",
        "ARTIFACTORY_HOOKS_STORE_MAX_BYTES": "lots",
        "ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES": "big",
        "ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW": "a while",
        "ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES": "many",
        "ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS": "0",
        "ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS": "-1",
        "ARTIFACTORY_HOOKS_CATCH_UP_INTERVAL": "often",
    ]

    static func diagnostics(_ text: String, environment: [String: String]) -> String {
        do {
            _ = try DaemonConfig.parse(text: text, file: "c.yml", environment: environment)
            return ""
        } catch {
            return error.description
        }
    }

    @Test("every wrong value of the file is reported at its place, all at once and in order")
    func wrongFile() {
        let expected = """
            c.yml:1:9: error: listen: expected host:port (for example 127.0.0.1:8470), found "not-an-address"
            c.yml:2:15: error: admin_listen: expected host:port (for example 127.0.0.1:9465), or off to serve /metrics on the webhook listener, found "not-an-address"
            c.yml:13:20: error: admin.max_connections: expected a whole number, found "x"
            c.yml:4:16: error: store.synchronous: unknown synchronous mode "sometimes"; use normal, full (default) or extra
            c.yml:5:14: error: store.retention: expected a duration such as 30d, 12h or off (keep everything), found "forever"
            c.yml:6:23: error: store.retention_interval: expected a duration such as 10m or 1h, found "0"
            c.yml:9:19: error: ingest.max_body_bytes: expected a size such as 1048576, 512KiB or 1MiB, found "big"
            c.yml:10:17: error: ingest.dedup_window: expected a duration such as 30s, 5m, 1h or 0 (off), found "a while"
            c.yml:11:20: error: ingest.max_connections: must be at least 1 (connections held at once, such as 512)
            c.yml:16:13: error: worker.max_hops: must be at least 1
            c.yml:15:10: error: worker.lease: expected a duration such as 500ms, 30s, 5m or 24h, found "0"
            c.yml:7:14: error: store.max_bytes: expected a size such as 500MiB or 20GiB, or off, found "lots"
            """
        #expect(Self.diagnostics(Self.file, environment: [:]) == expected)
    }

    @Test("every wrong variable is reported by name; a set listen or admin_listen variable hides the file's")
    func wrongEnvironment() {
        let expected = """
            c.yml: error: environment variable ARTIFACTORY_HOOKS_LISTEN: expected host:port, found "nope"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_ADMIN_LISTEN: expected host:port or off, found "nope"
            c.yml:13:20: error: admin.max_connections: expected a whole number, found "x"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS: must be at least 1, found "-1"
            c.yml:4:16: error: store.synchronous: unknown synchronous mode "sometimes"; use normal, full (default) or extra
            c.yml: error: environment variable ARTIFACTORY_HOOKS_STORE_POSTGRES: expected postgres://USER@HOST:PORT/DATABASE (no password)
            c.yml: error: environment variable ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS: use normal, full or extra, not "sometimes"
            c.yml:5:14: error: store.retention: expected a duration such as 30d, 12h or off (keep everything), found "forever"
            c.yml:6:23: error: store.retention_interval: expected a duration such as 10m or 1h, found "0"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_STORE_RETENTION: expected a duration such as 30d or off, found "forever"
            c.yml:9:19: error: ingest.max_body_bytes: expected a size such as 1048576, 512KiB or 1MiB, found "big"
            c.yml:10:17: error: ingest.dedup_window: expected a duration such as 30s, 5m, 1h or 0 (off), found "a while"
            c.yml:11:20: error: ingest.max_connections: must be at least 1 (connections held at once, such as 512)
            c.yml: error: environment variable ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS: must be at least 1, found "0"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES: expected a size, found "big"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW: expected a duration such as 30s, 5m or 1h, found "a while"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES: expected a size, found "many"
            c.yml:16:13: error: worker.max_hops: must be at least 1
            c.yml:15:10: error: worker.lease: expected a duration such as 500ms, 30s, 5m or 24h, found "0"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_CATCH_UP_INTERVAL: expected a duration such as 5m or off, found "often"
            c.yml:7:14: error: store.max_bytes: expected a size such as 500MiB or 20GiB, or off, found "lots"
            c.yml: error: environment variable ARTIFACTORY_HOOKS_STORE_MAX_BYTES: expected a size such as 20GiB, or off, found "lots"
            """
        #expect(Self.diagnostics(Self.file, environment: Self.wrongEnvironment) == expected)
    }

    @Test("environmentOverrides names every variable the reader honours, and only those")
    func overridesListed() {
        let listed = Set(DaemonConfig.environmentOverrides.map(\.variable))
        let honoured = Set(Self.wrongEnvironment.keys).union([
            "ARTIFACTORY_HOOKS_RULES", "ARTIFACTORY_HOOKS_RULES_MODE", "ARTIFACTORY_HOOKS_STORE_SQLITE",
            "ARTIFACTORY_HOOKS_ARTIFACTORY_URL", "ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL",
        ])
        #expect(listed == honoured)
    }
}

@Suite("Config: catch_up")
struct ConfigCatchUpTests {
    static let base = "endpoints:\n  - name: open\n    auth: none\n"

    @Test(
        "catch_up.interval: 5m by default; a duration; 0 or off turns it off",
        arguments: [
            ("", Duration?.some(.seconds(300))), ("catch_up:\n  interval: 1h\n", .seconds(3600)),
            ("catch_up:\n  interval: 0\n", nil), ("catch_up:\n  interval: off\n", nil),
        ])
    func interval(yaml: String, expected: Duration?) throws {
        let config = try DaemonConfig.parse(text: Self.base + yaml, file: "c.yml", environment: [:])
        #expect(config.catchUp.interval == expected)
    }

    @Test("a wrong interval or an unknown key is reported at its line")
    func mistakes() {
        let text = Self.base + "catch_up:\n  interval: soon\n  intervall: 5m\n"
        let problems = ConfigSettingTests.diagnostics(text, environment: [:])
        #expect(problems.contains("c.yml:5:13: error: catch_up.interval: expected a duration such as 5m, 1h or off"))
        #expect(problems.contains("intervall"))
    }
}

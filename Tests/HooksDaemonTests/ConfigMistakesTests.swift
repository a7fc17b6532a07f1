import Foundation
import HooksDaemon
import HooksTestSupport
import Testing
import YAMLDiagnostics

/// Config values that are easy to get wrong by hand: left empty, far out of range, or holding a
/// secret. Each must stop the daemon with a message at the value's line, never start it half-set.
@Suite("Config loading: empty, out-of-range and secret-bearing values")
struct ConfigMistakesTests {
    /// The diagnostics `text` gives, or a recorded issue when it loads.
    static func problems(_ text: String, directory: TemporaryDirectory? = nil, environment: [String: String] = [:])
        -> [String]
    {
        do {
            _ = try DaemonConfig.parse(
                text: text, file: directory?.path("c.yml") ?? "c.yml", environment: environment)
            Issue.record("the config loaded:\n\(text)")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(
        "a YAML null in secrets is not the secret \"null\": the config is refused at its line",
        arguments: ["~", "null", "Null", "NULL", "''"])
    func nullSecretItem(item: String) {
        let text = "endpoints:\n  - name: main\n    auth: token\n    secrets:\n      - \(item)\n"
        let lines = Self.problems(text)
        #expect(
            lines.contains("c.yml:5:9: error: endpoints[0].secrets[0]: an empty secret is not a secret"), "\(lines)")
    }

    @Test("a secret with \": \" in it, unquoted in the list, reads as a key: refused without repeating it")
    func secretReadAsKey() {
        let text = "endpoints:\n  - name: main\n    auth: token\n    secrets:\n      - s3cr3t: tail\n"
        let lines = Self.problems(text)
        #expect(
            lines.contains { $0.hasPrefix("c.yml:5:9: error: endpoints[0].secrets[0]: a key other than") }, "\(lines)")
        #expect(lines.contains { $0.contains("needs quotes") }, "\(lines)")
        #expect(!lines.joined().contains("s3cr3t"), "\(lines)")
    }

    @Test(
        "an endpoint whose secret keys are left empty does not start with no secret",
        arguments: [
            ("secret_file:", "c.yml:4:17: error: endpoints[0].secret_file: secret_file has no value"),
            ("secret_file: ~", "c.yml:4:18: error: endpoints[0].secret_file: secret_file has no value"),
            ("secret_env:", "c.yml:4:16: error: endpoints[0].secret_env: secret_env has no value"),
            ("secrets: []", "c.yml:4:14: error: endpoints[0].secrets: expected a list of secrets"),
            ("secrets: [{file: ~}]", "c.yml:4:22: error: endpoints[0].secrets[0].file: file has no value"),
        ])
    func emptySecretKeys(line: String, expected: String) {
        let text = "endpoints:\n  - name: main\n    auth: hmac-sha256\n    \(line)\n"
        let lines = Self.problems(text)
        #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
    }

    @Test("a secret file's byte-order mark and trailing CR are not part of the secret; spaces alone are refused")
    func secretFileText() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("bom", "\u{FEFF}s3cret\r\n")
        try directory.write("blank", "   \n")
        let config = try DaemonConfig.parse(
            text: "endpoints:\n  - name: main\n    auth: hmac-sha256\n    secret_file: bom\n",
            file: directory.path("c.yml"), environment: [:])
        #expect(config.endpoints[0].secrets == ["s3cret"])
        let lines = Self.problems(
            "endpoints:\n  - name: main\n    auth: hmac-sha256\n    secret_file: blank\n", directory: directory)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("holds only spaces") == true, "\(lines)")
    }

    @Test("a secret from the environment loses a trailing CR or newline, as a file's does")
    func secretEnvironmentText() throws {
        let config = try DaemonConfig.parse(
            text: "endpoints:\n  - name: main\n    auth: hmac-sha256\n    secret_env: HOOK_SECRET\n", file: "c.yml",
            environment: ["HOOK_SECRET": "s3cret\r\n"])
        #expect(config.endpoints[0].secrets == ["s3cret"])
    }

    @Test(
        "durations past 100 years are refused at their line instead of overflowing later",
        arguments: [
            (
                "ingest:\n  dedup_window: 999999999d\n",
                "c.yml:2:17: error: ingest.dedup_window: \"999999999d\" is too long"
            ),
            ("store:\n  retention: 36501d\n", "c.yml:2:14: error: store.retention: \"36501d\" is too long"),
            ("ingest:\n  idle_timeout: infs\n", "c.yml:2:17: error: ingest.idle_timeout: expected a duration"),
            ("ingest:\n  dedup_window: 1e300s\n", "c.yml:2:17: error: ingest.dedup_window: expected a duration"),
            ("worker:\n  lease: nanm\n", "c.yml:2:10: error: worker.lease: expected a duration"),
            (
                "ingest:\n  max_body_bytes: 99999999999GiB\n",
                "c.yml:2:19: error: ingest.max_body_bytes: expected a size"
            ),
        ])
    func outOfRange(section: String, expected: String) {
        let lines = Self.problems(section + "endpoints:\n  - name: main\n    auth: none\n")
        #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
    }

    @Test("the longest duration accepted loads; an environment override past it is refused")
    func longestDuration() throws {
        let open = "endpoints:\n  - name: main\n    auth: none\n"
        let config = try DaemonConfig.parse(
            text: "store:\n  retention: off\ningest:\n  dedup_window: 36500d\n" + open, file: "c.yml", environment: [:])
        #expect(config.ingest.dedupWindow == .seconds(36_500 * 86_400))
        let lines = Self.problems(
            "store:\n  retention: off\n" + open, environment: ["ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW": "99999999999d"])
        #expect(lines.contains { $0.contains("ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW") && $0.contains("too long") })
    }

    @Test("a lease shorter than twice the call timeout is refused: a job could be called twice at once")
    func leaseOutlastsCalls() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "tok\n")
        func text(_ worker: String) -> String {
            "artifactory:\n  url: http://127.0.0.1:1/artifactory\n  token_file: token\n  timeout: 10s\n"
                + "worker:\n  \(worker)\nendpoints:\n  - name: main\n    auth: none\n"
        }
        let lines = Self.problems(text("lease: 19s"), directory: directory)
        #expect(
            lines == [
                directory.path("c.yml")
                    + ":6:10: error: worker.lease: worker.lease (19s) must be at least twice artifactory.timeout (10s): "
                    + "a job starts with half its lease left at the least, and a lease that ends during a call lets "
                    + "the same job be called again; raise the lease or lower the timeout"
            ], "\(lines)")
        let config = try DaemonConfig.parse(text: text("lease: 20s"), file: directory.path("c.yml"), environment: [:])
        #expect(config.worker.lease == .seconds(20))
    }

    @Test("retention shorter than the dedup window is refused: a redelivery of a pruned event would run again")
    func retentionCoversDedup() throws {
        let open = "endpoints:\n  - name: main\n    auth: none\n"
        let lines = Self.problems("store:\n  retention: 2m\ningest:\n  dedup_window: 5m\n" + open)
        #expect(
            lines == [
                "c.yml:2:14: error: store.retention: store.retention (2m) is shorter than ingest.dedup_window (5m): "
                    + "an event pruned inside the window would not be recognised when Artifactory sends it again; "
                    + "keep events at least as long as the window"
            ], "\(lines)")
        let config = try DaemonConfig.parse(
            text: "store:\n  retention: 5m\ningest:\n  dedup_window: 5m\n" + open, file: "c.yml", environment: [:])
        #expect(config.retention.maxAge == .seconds(300))
    }

    @Test("a PostgreSQL URL with a password is never echoed, even when it does not parse")
    func postgresPasswordNotEchoed() {
        for url in ["postgres://hooks:p#wSECRET@db/hooks", "postgres://hooks:pwSECRET@db/hooks", "x://u:SECRET@h"] {
            let lines = Self.problems("store:\n  postgres: '\(url)'\nendpoints:\n  - name: main\n    auth: none\n")
            #expect(!lines.isEmpty)
            #expect(!lines.joined().contains("SECRET"), "\(lines)")
            #expect(lines.contains { $0.contains("the URL holds a password") }, "\(lines)")
        }
    }

    @Test("an empty list of endpoints says it is empty")
    func emptyEndpointList() {
        #expect(
            Self.problems("endpoints: []\n") == [
                "c.yml:1:12: error: endpoints: expected a list of endpoints, found an empty list"
            ])
    }
}

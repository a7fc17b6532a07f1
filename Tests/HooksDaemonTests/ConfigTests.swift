import ArtifactoryAPI
import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Rules
import Storage
import Testing
import YAMLDiagnostics

@Suite("Config loading")
struct ConfigTests {
    @Test("config/example.yml loads as shipped")
    func exampleLoads() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("config/example.yml").path
        let config = try DaemonConfig.load(path: path, environment: [:])
        #expect(config.listen == DaemonConfig.ListenAddress(host: "127.0.0.1", port: 8470))
        #expect(config.endpoints.map(\.name) == ["main"])
        #expect(config.endpoints[0].auth == .hmacSHA256)
        #expect(config.endpoints[0].secrets == ["dev-secret-change-me-before-production"])
        #expect(
            config.store
                == .sqlite(
                    .init(
                        path: Fixtures.repositoryRoot.appendingPathComponent("var/events.sqlite").path,
                        synchronous: .full)))
        #expect(config.ingest.maxBodyBytes == 1 << 20)
        #expect(config.ingest.dedupWindow == .seconds(300))
        #expect(config.rulesDirectory == nil)
    }

    @Test("config/demo.yml loads as shipped, with the rules in rules/ and the simulator")
    func demoLoads() throws {
        let path = Fixtures.repositoryRoot.appendingPathComponent("config/demo.yml").path
        let config = try DaemonConfig.load(path: path, environment: [:])
        #expect(config.rulesDirectory == Fixtures.repositoryRoot.appendingPathComponent("rules").path)
        #expect(config.artifactory?.url.absoluteString == "http://127.0.0.1:8081/artifactory")
        #expect(try loadRules(config, logger: Logger(label: "test")).enabledCount > 0)
    }

    @Test("every problem is reported at once, with file:line:column and key")
    func allProblemsAtOnce() throws {
        let text = """
            listen: localhost
            stor:
              sqlite: x.sqlite
            ingest:
              max_body_bytes: lots
              dedup_window: forever
            endpoints:
              - name: main
                auth: hmac-sha265
                secret_env: NOT_SET_ANYWHERE
              - name: main
                auth: token
              - auth: none
            """
        do {
            _ = try DaemonConfig.parse(text: text, file: "bad.yml", environment: [:])
            Issue.record("a broken config loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            let expected = [
                #"bad.yml:2:1: error: stor: unknown key "stor"; did you mean "store"?"#,
                #"bad.yml:1:9: error: listen: expected host:port (for example 127.0.0.1:8470), found "localhost""#,
                #"bad.yml:9:11: error: endpoints[0].auth: unknown auth mode "hmac-sha265"; use token, hmac-sha256, hmac-sha1, none (did you mean "hmac-sha256"?)"#,
                #"bad.yml:10:17: error: endpoints[0].secret_env: environment variable NOT_SET_ANYWHERE is not set or empty; export it or use secret_file"#,
                #"bad.yml:11:11: error: endpoints[1].name: endpoint "main" is defined twice"#,
                #"bad.yml:11:5: error: endpoints[1]: endpoint "main" has no secret: add secret_file, secret_env or secrets, or write `auth: none` to accept unsigned deliveries"#,
                #"bad.yml:13:5: error: endpoints[2]: missing "name" (the URL segment after /webhooks/)"#,
                #"bad.yml:5:19: error: ingest.max_body_bytes: expected a size such as 1048576, 512KiB or 1MiB, found "lots""#,
                #"bad.yml:6:17: error: ingest.dedup_window: expected a duration such as 30s, 5m, 1h or 0 (off), found "forever""#,
            ]
            #expect(Set(lines) == Set(expected), "\(lines.joined(separator: "\n"))")
            #expect(lines.count == expected.count)
        }
    }

    @Test(
        "an endpoint name is letters, digits, '-', '_' and '.' only, at its line",
        arguments: [#""a b""#, "a/b", #""main\n""#, "é"])
    func badEndpointName(name: String) throws {
        let text = "endpoints:\n  - name: \(name)\n    auth: none\n"
        do {
            _ = try DaemonConfig.parse(text: text, file: "c.yml", environment: [:])
            Issue.record("endpoint name \(name) was accepted")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "c.yml:2:11: error: endpoints[0].name: name may contain letters, digits, '-', '_' and '.' only"
                ])
        }
    }

    @Test("an empty name is reported as empty")
    func emptyEndpointName() throws {
        #expect {
            try DaemonConfig.parse(text: "endpoints:\n  - name: ''\n    auth: none\n", file: "c.yml", environment: [:])
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.map(\.description).contains(
                "c.yml:2:11: error: endpoints[0].name: expected a text value, found an empty text") == true
        }
    }

    @Test("endpoint names of letters, digits, '-', '_' and '.' are accepted")
    func goodEndpointNames() throws {
        let config = try DaemonConfig.parse(
            text: "endpoints:\n  - name: Main_1.prod-eu\n    auth: none\n", file: "c.yml", environment: [:])
        #expect(config.endpoints.map(\.name) == ["Main_1.prod-eu"])
    }

    @Test(
        "ingest timeouts: the default unless set, 0 turns one off, and a bad value is reported at its line",
        arguments: [
            ("idle_timeout", Duration.seconds(60), "30s, 2m or 0 (never)"),
            ("body_timeout", Duration.seconds(10), "10s, 1m or 0 (never)"),
        ])
    func ingestTimeouts(key: String, default: Duration, example: String) throws {
        func field(_ config: DaemonConfig) -> Duration? {
            key == "idle_timeout" ? config.ingest.idleTimeout : config.ingest.bodyTimeout
        }
        let open = "endpoints:\n  - name: main\n    auth: none\n"
        #expect(field(try DaemonConfig.parse(text: open, file: "c.yml", environment: [:])) == `default`)
        let set = try DaemonConfig.parse(text: "ingest:\n  \(key): 2m\n" + open, file: "c.yml", environment: [:])
        #expect(field(set) == .seconds(120))
        let off = try DaemonConfig.parse(text: "ingest:\n  \(key): 0\n" + open, file: "c.yml", environment: [:])
        #expect(field(off) == nil)
        #expect {
            try DaemonConfig.parse(text: "ingest:\n  \(key): soon\n" + open, file: "c.yml", environment: [:])
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.map(\.description) == [
                #"c.yml:2:17: error: ingest.\#(key): expected a duration such as \#(example), found "soon""#
            ]
        }
    }

    @Test("ingest.max_buffered_bytes: 64 MiB unless set, the environment wins, errors at their line")
    func maxBufferedBytes() throws {
        let open = "endpoints:\n  - name: main\n    auth: none\n"
        func parse(_ text: String, _ environment: [String: String] = [:]) throws -> DaemonConfig {
            try DaemonConfig.parse(text: text + open, file: "c.yml", environment: environment)
        }
        #expect(try parse("").ingest.maxBufferedBytes == 64 << 20)
        #expect(try parse("ingest:\n  max_buffered_bytes: 8MiB\n").ingest.maxBufferedBytes == 8 << 20)
        let overridden = try parse(
            "ingest:\n  max_buffered_bytes: 8MiB\n", ["ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES": "16MiB"])
        #expect(overridden.ingest.maxBufferedBytes == 16 << 20)
        #expect {
            try parse("ingest:\n  max_buffered_bytes: lots\n")
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.map(\.description) == [
                #"c.yml:2:23: error: ingest.max_buffered_bytes: expected a size such as 64MiB or 67108864, found "lots""#
            ]
        }
        #expect {
            try parse("ingest:\n  max_body_bytes: 2MiB\n  max_buffered_bytes: 1MiB\n")
        } throws: { error in
            (error as? DiagnosticsError)?.diagnostics.map(\.description) == [
                "c.yml:3:23: error: ingest.max_buffered_bytes: ingest.max_buffered_bytes (1048576) is smaller than "
                    + "ingest.max_body_bytes (2097152): a delivery of the largest size accepted would never fit; "
                    + "raise max_buffered_bytes or lower max_body_bytes"
            ]
        }
    }

    @Test("an endpoint without a secret is refused unless it says auth: none")
    func missingSecret() throws {
        let text = """
            endpoints:
              - name: main
                auth: hmac-sha256
            """
        #expect(throws: DiagnosticsError.self) { try DaemonConfig.parse(text: text, file: "c.yml", environment: [:]) }
        let open = try DaemonConfig.parse(
            text: "endpoints:\n  - name: main\n    auth: none\n", file: "c.yml", environment: [:])
        #expect(open.endpoints[0].auth == AuthMode.none)
        #expect(open.endpoints[0].secrets.isEmpty)
    }

    @Test("secrets come from files, the environment, lists and $CREDENTIALS_DIRECTORY")
    func secretSources() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("hook-secret", "from-credentials\n")
        try directory.write("local-secret", "from-file\n")
        let config = try directory.write(
            "config.yml",
            """
            endpoints:
              - name: main
                auth: hmac-sha256
                secret_file: hook-secret
                secret_env: HOOK_SECRET
                secrets:
                  - file: local-secret
                  - env: OLD_SECRET
                  - inline-literal
            """)
        let loaded = try DaemonConfig.load(
            path: config,
            environment: [
                "CREDENTIALS_DIRECTORY": credentials.url.path, "HOOK_SECRET": "from-env", "OLD_SECRET": "old",
            ])
        #expect(loaded.endpoints[0].secrets == ["from-credentials", "from-env", "from-file", "old", "inline-literal"])
    }

    @Test("an unreadable or empty secret file is an error naming the file")
    func badSecretFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("empty", "\n")
        let config = try directory.write(
            "config.yml",
            "endpoints:\n  - name: a\n    auth: token\n    secret_file: empty\n  - name: b\n    auth: token\n    secret_file: /nonexistent/secret\n"
        )
        do {
            _ = try DaemonConfig.load(path: config, environment: [:])
            Issue.record("loaded")
        } catch {
            let text = error.description
            #expect(
                text.contains(
                    "config.yml:4:18: error: endpoints[0].secret_file: secret file \(directory.path("empty")) is empty")
            )
            #expect(
                text.contains(
                    "config.yml:7:18: error: endpoints[1].secret_file: cannot read secret file /nonexistent/secret"))
        }
    }

    @Test("environment variables override keys")
    func environmentOverrides() throws {
        let config = try DaemonConfig.parse(
            text: "listen: 127.0.0.1:1\nendpoints:\n  - name: m\n    auth: none\n", file: "/etc/ah/config.yml",
            environment: [
                "ARTIFACTORY_HOOKS_LISTEN": "0.0.0.0:9000",
                "ARTIFACTORY_HOOKS_STORE_SQLITE": "/data/e.sqlite",
                "ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS": "extra",
                "ARTIFACTORY_HOOKS_RULES": "rules.d",
                "ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES": "2MiB",
                "ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW": "90s",
            ])
        #expect(config.listen.description == "0.0.0.0:9000")
        #expect(config.store == .sqlite(.init(path: "/data/e.sqlite", synchronous: .extra)))
        #expect(config.rulesDirectory == "/etc/ah/rules.d")
        #expect(config.ingest.maxBodyBytes == 2 << 20)
        #expect(config.ingest.dedupWindow == .seconds(90))
    }

    @Test("a malformed override is reported under its variable name")
    func badOverride() {
        do {
            _ = try DaemonConfig.parse(
                text: "endpoints:\n  - name: m\n    auth: none\n", file: "c.yml",
                environment: ["ARTIFACTORY_HOOKS_LISTEN": "nope"])
            Issue.record("loaded")
        } catch {
            #expect(
                error.description
                    == "c.yml: error: environment variable ARTIFACTORY_HOOKS_LISTEN: expected host:port, found \"nope\""
            )
        }
    }

    @Test("YAML syntax errors and duplicate keys carry their position")
    func syntax() {
        for (text, fragment) in [
            ("endpoints: [\n", "c.yml:2:1: error: YAML syntax"),
            (
                "listen: a:1\nlisten: b:2\nendpoints: []\n",
                "c.yml:2:1: error: duplicate key \"listen\" (first at line 1)"
            ),
            ("store:\n  sqlite: a.sqlite\n bad: 1\n", "c.yml:3:2: error: YAML syntax:"),
            (
                "endpoints:\n\t- name: main\n",
                "c.yml:2:1: error: YAML syntax: found character that cannot start any token (a tab"
            ),
        ] {
            do {
                _ = try DaemonConfig.parse(text: text, file: "c.yml", environment: [:])
                Issue.record("loaded: \(text)")
            } catch {
                #expect(error.description.hasPrefix(fragment), "\(error.description)")
            }
        }
    }

    @Test("a missing config file says how to fix it")
    func missingFile() {
        do {
            _ = try DaemonConfig.load(path: "/nonexistent/config.yml", environment: [:])
            Issue.record("loaded")
        } catch {
            #expect(error.description.contains("/nonexistent/config.yml: error: cannot read the config file"))
            #expect(error.description.contains("--config"))
        }
    }

    @Test("the artifactory section needs a URL and a credential")
    func artifactorySection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "abc\n")
        let good = try DaemonConfig.parse(
            text:
                "artifactory:\n  url: https://a.example.com/artifactory\n  token_file: token\nendpoints:\n  - name: m\n    auth: none\n",
            file: directory.path("c.yml"), environment: [:])
        #expect(good.artifactory?.url.absoluteString == "https://a.example.com/artifactory")
        do {
            _ = try DaemonConfig.parse(
                text: "artifactory:\n  url: ftp://x\nendpoints:\n  - name: m\n    auth: none\n", file: "c.yml",
                environment: [:])
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.count == 2)
            #expect(error.description.contains("expected an http(s) URL"))
            #expect(error.description.contains("no credential"))
        }
    }
}

extension ConfigTests {
    @Test("the artifactory section resolves the credential, timeouts, CA file and project")
    func artifactoryClientSettings() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "tok-SECRET\n")
        try directory.write("ca.pem", "not checked here\n")
        let config = try DaemonConfig.parse(
            text: """
                artifactory:
                  url: https://a.example.com/artifactory
                  token_file: token
                  timeout: 45s
                  connect_timeout: 500ms
                  ca_file: ca.pem
                  project: payments
                worker:
                  lease: 2m
                endpoints:
                  - name: m
                    auth: none
                """,
            file: directory.path("c.yml"), environment: [:])
        let artifactory = try #require(config.artifactory)
        #expect(artifactory.credential == .accessToken("tok-SECRET"))
        #expect(artifactory.timeout == .seconds(45))
        #expect(artifactory.connectTimeout == .milliseconds(500))
        #expect(artifactory.caFile == directory.path("ca.pem"))
        #expect(artifactory.project == "payments")
        let client = artifactory.clientConfiguration
        #expect(client.baseURL.absoluteString == "https://a.example.com/artifactory")
        #expect(client.requestTimeout == .seconds(45))
        #expect(!String(describing: artifactory).contains("SECRET"))
        #expect(!String(reflecting: artifactory).contains("SECRET"))
    }

    @Test("user and password give Basic; defaults are 30s and 10s")
    func artifactoryBasic() throws {
        let config = try DaemonConfig.parse(
            text: """
                artifactory:
                  url: http://localhost:8081/artifactory
                  user: ci
                  password_env: ART_PASSWORD
                endpoints:
                  - name: m
                    auth: none
                """,
            file: "c.yml", environment: ["ART_PASSWORD": "pw"])
        let artifactory = try #require(config.artifactory)
        #expect(artifactory.credential == .basic(user: "ci", password: "pw"))
        #expect(artifactory.timeout == .seconds(30))
        #expect(artifactory.connectTimeout == .seconds(10))
        #expect(artifactory.caFile == nil)
        #expect(artifactory.project == nil)
    }

    @Test("a bad timeout and an unreadable CA file are reported with their keys")
    func artifactoryBadSettings() throws {
        do {
            _ = try DaemonConfig.parse(
                text: """
                    artifactory:
                      url: https://a.example.com/artifactory
                      token_env: ART_TOKEN
                      timeout: forever
                      connect_timeout: 0
                      ca_file: /nonexistent/ca.pem
                    endpoints:
                      - name: m
                        auth: none
                    """,
                file: "c.yml", environment: ["ART_TOKEN": "t"])
            Issue.record("loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 3, "\(lines)")
            #expect(lines.contains { $0.contains("artifactory.timeout: expected a duration") })
            #expect(lines.contains { $0.contains("artifactory.connect_timeout: expected a duration") })
            #expect(lines.contains { $0.contains("artifactory.ca_file: cannot read CA file /nonexistent/ca.pem") })
        }
    }
}

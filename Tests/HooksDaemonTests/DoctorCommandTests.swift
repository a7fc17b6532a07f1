import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `artifactory-hooks doctor` as the binary runs it, against the simulator on an ephemeral port:
/// all OK, a refused token, a permission the rules need missing, a drifted subscription, a store
/// folder that takes no file, and `--quick` without any network.
@Suite("doctor against the simulator", .timeLimit(.minutes(2)))
struct DoctorCommandTests {
    /// A JWT-shaped access token whose payload says `sub: …/users/hooks-admin`, `scp:
    /// applied-permissions/admin` (the signature is never checked by the daemon).
    static let adminToken = jwt(#"{"sub":"jfac@01abc/users/hooks-admin","scp":"applied-permissions/admin"}"#)
    static let userToken = jwt(#"{"sub":"jfac@01abc/users/ci-bot","scp":"applied-permissions/user"}"#)

    static func jwt(_ payload: String) -> String {
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return part(#"{"alg":"RS256","typ":"JWT"}"#) + "." + part(payload) + ".c2lnbmF0dXJl"
    }

    static let rules = """
        rules:
          - name: tag-releases
            on: artifact.deployed
            when: { repo: libs-release-local }
            do:
              - set_properties: { qa.status: pending }
          - name: promote-to-prod
            on: artifact.deployed
            when: { repo: libs-release-local }
            do:
              - copy: { to: "libs-prod-local/{{ data.path }}" }
        """

    static func subscriptions(publicURL: URL?, eventTypes: String = "[deployed]") -> String {
        """
        subscriptions:
          key_prefix: hooks-
        \(publicURL.map { "  public_url: \($0.absoluteString)" } ?? "")
          webhooks:
            - key: hooks-deploys
              endpoint: main
              \(publicURL == nil ? "url: https://hooks.example.com/webhooks/main" : "")
              domain: artifact
              event_types: \(eventTypes)
              criteria: { any_local: true }
        """
    }

    /// A config folder calling `baseURL` with `token`, the rules above and `extra`.
    static func daemon(baseURL: URL, token: String, extra: String) throws -> TestDaemon {
        let daemon = try TestDaemon(
            extra: """
                rules: rules
                artifactory:
                  url: \(baseURL.absoluteString)
                  token_file: token
                  timeout: 5s
                \(extra)
                """)
        try daemon.directory.write("token", token)
        try daemon.directory.write("rules/rules.yml", rules)
        return daemon
    }

    static func doctor(_ daemon: TestDaemon, _ more: [String] = [], token: String) async throws -> (
        status: Int32, output: String
    ) {
        let process = try DaemonProcess(["doctor", "--config", daemon.configPath] + more)
        let status = try await process.waitForExit()
        #expect(!process.printed.contains(token), "the token was printed")
        #expect(!process.printed.contains(TestDaemon.secret), "a secret was printed")
        return (status, process.printed)
    }

    /// Runs `body` with the simulator (the admin token accepted), a receiver standing in for the
    /// daemon at its public URL, and a config calling them whose subscription `subscriptions apply`
    /// has registered.
    static func withAppliedSubscription(
        _ body: @Sendable (ArtifactorySimulator, TestDaemon, TestReceiver) async throws -> Void
    ) async throws {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: [Self.adminToken]))
        let receiver = TestReceiver()
        try await receiver.withRunning { publicURL in
            try await simulator.withRunning { baseURL in
                let daemon = try Self.daemon(
                    baseURL: baseURL, token: Self.adminToken, extra: Self.subscriptions(publicURL: publicURL))
                defer { daemon.directory.remove() }
                let apply = try DaemonProcess(["subscriptions", "apply", "--config", daemon.configPath])
                #expect(try await apply.waitForExit() == 0, "\(apply.printed)")
                try await body(simulator, daemon, receiver)
            }
        }
    }

    @Test("all OK: exit 0; then a drifted subscription fails and says to apply")
    func allPassThenDrift() async throws {
        try await Self.withAppliedSubscription { _, daemon, receiver in
            // Given Artifactory as configured, every check passes and doctor exits 0.
            let good = try await Self.doctor(daemon, token: Self.adminToken)
            #expect(good.status == 0, "\(good.output)")
            for name in [
                "config", "rules", "store", "artifactory", "token", "clock", "permissions",
                "subscription hooks-deploys", "catch-up", "public_url",
            ] {
                #expect(good.output.contains("OK  \(name): "), "\(name): \(good.output)")
            }
            #expect(!good.output.contains("FAIL"), "\(good.output)")
            #expect(good.output.contains("acts as user hooks-admin with admin scope"))
            #expect(receiver.received.contains { $0.target == "/healthz" })

            // When Artifactory's subscription drifts, that check fails, naming the field.
            try daemon.directory.write(
                "config.yml",
                try String(contentsOfFile: daemon.configPath, encoding: .utf8)
                    .replacingOccurrences(of: "event_types: [deployed]", with: "event_types: [deployed, moved]"))
            let drift = try await Self.doctor(daemon, token: Self.adminToken)
            #expect(drift.status == 1, "\(drift.output)")
            #expect(
                drift.output.contains("FAIL subscription hooks-deploys: Artifactory's differs in event_types — "),
                "\(drift.output)")
            #expect(drift.output.contains("subscriptions apply"))
        }
    }

    @Test("a troubleshooting store Artifactory lacks or refuses fails catch-up with what to enable")
    func catchUpStoreUnreadable() async throws {
        try await Self.withAppliedSubscription { simulator, daemon, _ in
            simulator.state.troubleshootingStore = .missing
            let missing = try await Self.doctor(daemon, token: Self.adminToken)
            #expect(missing.status == 1, "\(missing.output)")
            #expect(missing.output.contains("FAIL catch-up: cannot read"), "\(missing.output)")
            #expect(missing.output.contains("enable Webhooks Troubleshooting with Redis"), "\(missing.output)")

            simulator.state.troubleshootingStore = .forbidden
            let forbidden = try await Self.doctor(daemon, token: Self.adminToken)
            #expect(forbidden.output.contains("Manage Webhooks"), "\(forbidden.output)")
            #expect(!forbidden.output.contains(Self.adminToken))
        }
    }

    @Test("a refused token fails with what to do, and no later check calls Artifactory")
    func wrongToken() async throws {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: [Self.adminToken]))
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(baseURL: baseURL, token: "not-the-token", extra: "")
            defer { daemon.directory.remove() }
            let result = try await Self.doctor(daemon, token: "not-the-token")
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("OK  artifactory: "), "\(result.output)")
            #expect(result.output.contains("FAIL token: Artifactory refused the credential (401"), "\(result.output)")
            #expect(result.output.contains("artifactory.token_file"))
            #expect(!result.output.contains("permissions:"))
            #expect(
                simulator.state.requests.map(\.target).allSatisfy {
                    $0.hasSuffix("/api/system/ping") || $0.hasSuffix("/api/system/version")
                })
        }
    }

    @Test("a permission the rules need and the user lacks fails, naming the rule")
    func missingPermission() async throws {
        let targets = [
            SimulatedPermissionTarget(
                name: "ci", repositories: ["libs-release-local"], actions: ["read", "annotate", "manage"]),
            SimulatedPermissionTarget(name: "prod-read", repositories: ["libs-prod-local"], actions: ["read"]),
        ]
        var configuration = ArtifactorySimulator.Configuration(tokens: [Self.userToken])
        configuration.permissionTargets = ["ci-bot": targets]
        configuration.tokenUsers = [Self.userToken: "ci-bot"]
        let simulator = ArtifactorySimulator(configuration: configuration)
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(baseURL: baseURL, token: Self.userToken, extra: "")
            defer { daemon.directory.remove() }
            let result = try await Self.doctor(daemon, token: Self.userToken)
            #expect(result.status == 1, "\(result.output)")
            #expect(
                result.output.contains(
                    "FAIL permissions: rule promote-to-prod (\(daemon.directory.path("rules/rules.yml")):7) needs write "
                        + "on libs-prod-local, and no permission target of user ci-bot grants it — add write on "
                        + "libs-prod-local"), "\(result.output)")
            #expect(!result.output.contains("rule tag-releases"), "annotate is granted: \(result.output)")
            #expect(
                simulator.state.requests.contains { $0.target.hasSuffix("/api/v2/security/permissions/users/ci-bot") })
        }
    }

    @Test("a user who may not read permission targets gets a warning listing what to check by hand")
    func permissionsUnreadable() async throws {
        var configuration = ArtifactorySimulator.Configuration(tokens: [Self.userToken])
        configuration.permissionTargets = [
            "ci-bot": [SimulatedPermissionTarget(name: "ci", repositories: ["ANY"], actions: ["read", "annotate"])]
        ]
        configuration.tokenUsers = [Self.userToken: "ci-bot"]
        let simulator = ArtifactorySimulator(configuration: configuration)
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(baseURL: baseURL, token: Self.userToken, extra: "")
            defer { daemon.directory.remove() }
            let result = try await Self.doctor(daemon, token: Self.userToken)
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.output.contains(
                    "WARN permissions: cannot read the permission targets of user ci-bot (403: reading them needs "
                        + "admin or Manage on a permission target); make sure ci-bot has read, annotate on "
                        + "libs-release-local; write on libs-prod-local"), "\(result.output)")
        }
    }

    @Test("a store folder that takes no new file fails; --quick checks it without any network")
    func storeNotWritableAndQuick() async throws {
        // Nothing listens on this port: any network check would fail, --quick makes none.
        let nowhere = URL(string: "http://127.0.0.1:1/artifactory")!
        let daemon = try Self.daemon(
            baseURL: nowhere, token: Self.adminToken,
            extra: Self.subscriptions(publicURL: URL(string: "http://127.0.0.1:1")))
        defer { daemon.directory.remove() }

        let quick = try await Self.doctor(daemon, ["--quick"], token: Self.adminToken)
        #expect(quick.status == 0, "\(quick.output)")
        #expect(quick.output.contains("OK  config: ") && quick.output.contains("OK  store: "), "\(quick.output)")
        #expect(!quick.output.contains("artifactory:") && !quick.output.contains("public_url"), "\(quick.output)")

        // The store's folder cannot take a file: as root, permission bits do not stop a write, so
        // a file stands where the folder should be.
        let folder = daemon.directory.path("var")
        if geteuid() == 0 {
            try daemon.directory.write("var", "not a folder")
        } else {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o555)
        }
        defer { chmod(folder, 0o755) }
        let blocked = try await Self.doctor(daemon, ["--quick"], token: Self.adminToken)
        #expect(blocked.status == 1, "\(blocked.output)")
        #expect(blocked.output.contains("FAIL store: "), "\(blocked.output)")
        #expect(blocked.output.contains("check store.sqlite") || blocked.output.contains("write access"))

        // The full run says Artifactory and the public URL cannot be reached, with what to do.
        let full = try await Self.doctor(daemon, token: Self.adminToken)
        #expect(full.status == 1)
        #expect(
            full.output.contains("FAIL artifactory: http://127.0.0.1:1/artifactory does not answer ping"),
            "\(full.output)")
        #expect(full.output.contains("FAIL public_url: http://127.0.0.1:1/healthz cannot be reached"), "\(full.output)")
    }

    @Test("certificates two days from expiry warn, for tls.cert_file and Artifactory's HTTPS server; exit 0")
    func certificatesNearExpiry() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let certificate = try TestCertificate.make(in: folder, name: "a")
        let simulator = ArtifactorySimulator(
            configuration: .init(
                tokens: [Self.adminToken],
                tls: .init(certificateFile: certificate.certFile, privateKeyFile: certificate.keyFile)))
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(
                baseURL: baseURL, token: Self.adminToken,
                extra: """
                      ca_file: \(certificate.certFile)
                    tls:
                      cert_file: \(certificate.certFile)
                      key_file: \(certificate.keyFile)
                    """)
            defer { daemon.directory.remove() }
            let result = try await Self.doctor(daemon, token: Self.adminToken)
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.output.contains("OK  artifactory: \(baseURL.absoluteString) answers ping"), "\(result.output)")
            #expect(
                result.output.contains("WARN tls: the certificate in \(certificate.certFile) expires at "),
                "\(result.output)")
            #expect(
                result.output.contains(
                    "WARN artifactory_tls: Artifactory's certificate (127.0.0.1:\(baseURL.port ?? 0)) expires at "),
                "\(result.output)")
            #expect(result.output.contains("in 1 day(s) — "), "\(result.output)")
        }
    }

    @Test("a config with mistakes fails with each at its file:line, and nothing else is checked")
    func brokenConfig() async throws {
        let daemon = try TestDaemon(extra: "worker:\n  concurency: 2\n")
        defer { daemon.directory.remove() }
        let result = try await Self.doctor(daemon, ["--quick"], token: Self.adminToken)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("FAIL config: 1 problem(s) in \(daemon.configPath)"), "\(result.output)")
        #expect(result.output.contains("config.yml:"), "\(result.output)")
        #expect(!result.output.contains("store:"))
    }
}

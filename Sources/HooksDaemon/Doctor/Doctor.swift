import ArtifactoryAPI
public import Foundation
import Logging
import Rules
import YAMLDiagnostics

/// `artifactory-hooks doctor`: checks the set-up one piece at a time and says, for each problem,
/// what to do. The full run asks Artifactory (ping, version, the token's permissions, the
/// subscriptions, the clock), the public URL and the store; `quick` is the subset for systemd's
/// `ExecStartPre=`: the config, the rules, the store's files and the TLS certificate file, with
/// no network at all, so it never waits on anything.
public enum Doctor {
    /// The longest one network check may take; the config's own timeouts apply when shorter.
    static let callTimeout = Duration.seconds(10)
    static let connectTimeout = Duration.seconds(5)

    /// Runs the checks in order, handing each finding to `report` as soon as it is made; returns
    /// whether none failed (warnings pass). Never prints a token or secret.
    public static func run(
        configPath: String, quick: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = Date.init, report: @escaping (DoctorCheck) -> Void
    ) async -> Bool {
        var failed = false
        let record: (DoctorCheck) -> Void = { check in
            if check.status == .fail { failed = true }
            report(check)
        }
        guard let config = loadConfig(configPath, environment: environment, report: record) else { return false }
        let rules = loadRules(config, report: record)
        await checkStore(config.store, quick: quick, report: record)
        if let tls = config.tls {
            record(CertificateExpiry.check(file: tls.certFile, name: "tls", now: now()))
        }
        if quick { return !failed }
        if let artifactory = config.artifactory {
            await checkArtifactory(artifactory, config: config, rules: rules, now: now, report: record)
        } else {
            record(.ok("artifactory", "no artifactory: section; nothing to check there"))
        }
        if let publicURL = config.subscriptions.publicURL {
            await checkPublicURL(publicURL, report: record)
        }
        return !failed
    }

    /// The config as the daemon loads it (credentials, secrets and TLS files read), or `nil` after
    /// a failure listing every problem at its file:line.
    private static func loadConfig(_ path: String, environment: [String: String], report: (DoctorCheck) -> Void)
        -> DaemonConfig?
    {
        do {
            let config = try DaemonConfig.load(path: path, environment: environment, for: .daemon)
            report(.ok("config", "\(path) loads"))
            return config
        } catch {
            report(
                DoctorCheck(
                    .fail, "config",
                    "\(error.diagnostics.count) problem(s) in \(path) — fix each one below; nothing else was checked",
                    notes: error.diagnostics.map(\.description)))
            return nil
        }
    }

    /// The rule set, or `nil` (after a failure with every problem) when it does not load.
    private static func loadRules(_ config: DaemonConfig, report: (DoctorCheck) -> Void) -> RuleSet? {
        guard let directory = config.rulesDirectory else {
            report(.ok("rules", "no rules directory; events are stored and nothing else happens"))
            return .empty
        }
        do {
            let rules = try RuleSet.load(directory: directory, knownTargets: config.targets.map(\.name))
            report(.ok("rules", "\(rules.rules.count) rule(s), \(rules.enabledCount) enabled, from \(directory)"))
            return rules
        } catch {
            report(
                DoctorCheck(
                    .fail, "rules", "the rules in \(directory) do not load — fix each problem below (rules check)",
                    notes: error.description.split(separator: "\n").map(String.init)))
            return nil
        }
    }

    /// A client for one doctor call: the config's, with its timeouts capped so no check hangs.
    static func client(_ artifactory: DaemonConfig.Artifactory) throws(ArtifactoryAPIError) -> ArtifactoryClient {
        var configuration = artifactory.clientConfiguration
        configuration.requestTimeout = min(configuration.requestTimeout, callTimeout)
        configuration.connectTimeout = min(configuration.connectTimeout, connectTimeout)
        return try ArtifactoryClient(
            configuration: configuration, logger: Logger(label: "doctor", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}

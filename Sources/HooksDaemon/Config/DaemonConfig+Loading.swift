import ArtifactoryEvents
public import Foundation
import Storage
public import YAMLDiagnostics

extension DaemonConfig {
    /// The config file used when `--config` is not given.
    public static let defaultPath = "/etc/artifactory-hooks/config.yml"

    /// Every environment variable that overrides a config key, with the key (as
    /// docs/operations.md lists them).
    public static let environmentOverrides: [(variable: String, key: String)] = [
        ("ARTIFACTORY_HOOKS_LISTEN", "listen"),
        ("ARTIFACTORY_HOOKS_ADMIN_LISTEN", "admin_listen"),
        ("ARTIFACTORY_HOOKS_STORE_SQLITE", "store.sqlite"),
        ("ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS", "store.synchronous"),
        ("ARTIFACTORY_HOOKS_STORE_RETENTION", "store.retention"),
        ("ARTIFACTORY_HOOKS_STORE_MAX_BYTES", "store.max_bytes"),
        ("ARTIFACTORY_HOOKS_STORE_POSTGRES", "store.postgres"),
        ("ARTIFACTORY_HOOKS_RULES", "rules (or rules.directory)"),
        ("ARTIFACTORY_HOOKS_RULES_MODE", "rules.mode"),
        ("ARTIFACTORY_HOOKS_ARTIFACTORY_URL", "artifactory.url"),
        ("ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL", "artifactory.platform_url"),
        ("ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES", "ingest.max_body_bytes"),
        ("ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW", "ingest.dedup_window"),
        ("ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES", "ingest.max_buffered_bytes"),
        ("ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS", "ingest.max_connections"),
        ("ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS", "admin.max_connections"),
        ("ARTIFACTORY_HOOKS_CATCH_UP_INTERVAL", "catch_up.interval"),
    ]

    /// Reads and validates the config file at `path`, applying environment overrides.
    ///
    /// Every problem is collected and thrown together, each with file:line:column and key path.
    /// Relative paths in the file are resolved against the file's directory; a bare `*_file` name
    /// is looked up in `$CREDENTIALS_DIRECTORY` first (systemd `LoadCredential=`).
    ///
    /// `for: .commands` (the commands other than `serve`) reads neither the webhook secrets, the
    /// Artifactory credentials nor the TLS pair, which they do not use, and which outside the
    /// systemd unit (its `LoadCredential=`, its environment) are often not there: the store's
    /// password is still read.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, for use: Use = .daemon
    ) throws(DiagnosticsError) -> DaemonConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DiagnosticsError([
                Diagnostic(
                    file: path, line: 0, column: 0, keyPath: "",
                    message: "cannot read the config file (\(Self.reason(error))); pass --config FILE or create it")
            ])
        }
        return try parse(text: text, file: path, environment: environment, for: use)
    }

    /// Who loads the config: the daemon, which needs every credential, or another command.
    public enum Use: Sendable {
        case daemon
        case commands
    }

    /// Validates config `text` as if read from `file` (for tests and `load`).
    public static func parse(
        text: String, file: String, environment: [String: String], for use: Use = .daemon
    ) throws(DiagnosticsError) -> DaemonConfig {
        let document = YAMLDocument(file: file, text: text)
        let reader = ConfigReader(
            document: document,
            baseDirectory: URL(fileURLWithPath: file).deletingLastPathComponent().path,
            environment: environment, use: use)
        let config = reader.read()
        guard let config, !document.hasErrors else { throw DiagnosticsError(document.diagnostics) }
        return config
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}

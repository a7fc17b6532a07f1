import Foundation
import Storage
import YAMLDiagnostics

/// Walks a config document, reporting every problem to it, and builds a ``DaemonConfig``.
///
/// Each section has its file (`ConfigReader+Section.swift`); each key is a ``ConfigSetting``
/// read from the file and then from its `ARTIFACTORY_HOOKS_*` variable. Defaults live on the
/// config structs: the reader starts from them and changes what the file and environment give.
struct ConfigReader {
    let document: YAMLDocument
    let baseDirectory: String
    let environment: [String: String]
    /// With `.commands`, credentials other than the store's are not read (``unreadCredential``).
    var use: DaemonConfig.Use = .daemon

    /// What stands for a credential a command did not read; never sent anywhere.
    static let unreadCredential = "(not read by this command)"
    /// What stands for a target's `url_file` URL a command did not read; never called.
    static let unreadTargetURL = URL(string: "https://url-file.invalid")!

    /// The top-level keys, from ``ConfigFileSchema``.
    static var topLevelKeys: [String] { ConfigFileSchema.top.keyNames }

    func read() -> DaemonConfig? {
        guard let root = document.root, let top = YAMLMappingReader(root, in: document) else {
            if document.root == nil, !document.hasErrors {
                document.report("the config file is empty; see config/example.yml", at: nil)
            }
            return nil
        }
        top.rejectUnknownKeys(Self.topLevelKeys)

        var config = DaemonConfig(store: .sqlite(.init(path: DaemonConfig.defaultSQLitePath)), endpoints: [])
        read(Self.listen, in: top, into: &config.listen)
        read(Self.adminListen, in: top, into: &config.adminListen)
        config.admin = readAdmin(top)
        let store = readStore(top)
        config.retention = readRetention(top)
        readRules(top, into: &config)
        config.artifactory = readArtifactory(top)
        config.endpoints = readEndpoints(top)
        config.targets = readTargets(top)
        config.ingest = readIngest(top)
        read(Self.rulesPollInterval, in: top, into: &config.rulesPollInterval)
        config.worker = readWorker(top)
        if let artifactory = config.artifactory {
            checkLeaseOutlastsCalls(worker: config.worker, artifactory: artifactory, top: top)
        }
        checkTargetsFitLease(config.targets, worker: config.worker, top: top)
        checkRetentionCoversDedup(retention: config.retention, ingest: config.ingest, top: top)
        checkBufferCoversBody(ingest: config.ingest, top: top)
        config.subscriptions = readSubscriptions(top, endpoints: config.endpoints)
        config.catchUp = readCatchUp(top)
        config.ui = readUI(top)
        config.tls = readTLS(top)
        config.trustedProxies = readAddressBlocks(top, "trusted_proxies")
        config.storeMaxBytes = readStoreMaxBytes(top)
        guard let store else { return nil }
        config.store = store
        return config
    }

    // MARK: Paths and overrides

    func resolvePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardized.path
    }

    /// A bare name is a systemd credential when `$CREDENTIALS_DIRECTORY` holds it.
    func resolveCredentialPath(_ name: String) -> String {
        if !name.contains("/"), let directory = environment["CREDENTIALS_DIRECTORY"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return resolvePath(name)
    }

    /// The environment variable `variable`, when set and not empty.
    func override(_ variable: String) -> String? {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reports a wrong environment variable, which has no place in the file.
    func reportEnvironment(_ variable: String, _ message: String) {
        document.reportUnlocated("environment variable \(variable): \(message)")
    }
}

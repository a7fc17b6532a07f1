import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Storage

/// A temporary config folder (config file, secret files, SQLite path) for one test.
struct TestDaemon {
    let directory: TemporaryDirectory
    let configPath: String

    /// The SQLite file the daemon writes.
    var databasePath: String { directory.path("var/events.sqlite") }

    /// Writes a config with the given endpoints YAML (indented list items), extra top-level YAML
    /// and `store:` section (indented lines; SQLite in the folder by default).
    init(
        endpoints: String = TestDaemon.defaultEndpoints, extra: String = "", port: Int = 0,
        store: String = "  sqlite: var/events.sqlite"
    ) throws {
        directory = try TemporaryDirectory()
        try directory.write("secret-main", "main-secret-value\n")
        try directory.write("secret-old", "old-secret-value\n")
        configPath = try directory.write(
            "config.yml",
            """
            listen: 127.0.0.1:\(port)
            store:
            \(store)
            endpoints:
            \(endpoints)
            \(extra)
            """)
    }

    static let defaultEndpoints = """
          - name: main
            auth: hmac-sha256
            secrets:
              - file: secret-main
              - file: secret-old
          - name: tok
            auth: token
            secret_file: secret-main
          - name: legacy
            auth: hmac-sha1
            secret_file: secret-main
          - name: open
            auth: none
        """

    static let secret = "main-secret-value"

    /// A daemon whose `artifactory` section points at `baseURL` with the simulator's token, whose
    /// only rule file is `rules` (watched with the default poll interval), and whose `worker:` section
    /// holds the YAML lines of `worker`.
    static func callingArtifactory(
        at baseURL: URL, rules: String, worker: String, token: String, store: String = "  sqlite: var/events.sqlite"
    ) throws -> TestDaemon {
        let indentedWorker = worker.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let daemon = try TestDaemon(
            extra: """
                rules: rules
                artifactory:
                  url: \(baseURL.absoluteString)
                  token_file: token
                worker:
                \(indentedWorker)
                """, store: store)
        try daemon.directory.write("token", token)
        try FileManager.default.createDirectory(
            atPath: daemon.directory.path("rules"), withIntermediateDirectories: true)
        try daemon.directory.write("rules/rules.yml", rules)
        return daemon
    }

    func config() throws -> DaemonConfig {
        try DaemonConfig.load(path: configPath, environment: [:])
    }

    /// Opens the daemon's SQLite file as a second reader, as `events list` does.
    func openStore() async throws -> SQLiteEventStore {
        let store = try SQLiteEventStore(configuration: .init(path: databasePath))
        try await store.migrate()
        return store
    }

    /// Every stored event, oldest first.
    func storedEvents() async throws -> [StoredEvent] {
        let store = try await openStore()
        let events = try await store.events(matching: EventQuery(limit: 100_000))
        try await store.close()
        return events.reversed()
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()
}

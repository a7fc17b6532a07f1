import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Storage
import Testing

/// A temporary config folder (config file, secret files, SQLite path) for one test.
struct TestDaemon {
    let directory: TemporaryDirectory
    let configPath: String

    /// The SQLite file the daemon writes.
    var databasePath: String { directory.path("var/events.sqlite") }

    /// Writes a config with the given endpoints YAML (indented list items) and extra top-level YAML;
    /// the admin listener binds an ephemeral port unless `admin` says otherwise (`off`).
    /// `store` holds the engine's keys of the `store:` section (SQLite in the folder by default) and
    /// `storeKeys` more keys of it (YAML lines, unindented).
    init(
        endpoints: String = TestDaemon.defaultEndpoints, extra: String = "", port: Int = 0,
        admin: String = "127.0.0.1:0", store: String = "sqlite: var/events.sqlite", storeKeys: String = ""
    ) throws {
        let storeSection = (store.split(separator: "\n") + storeKeys.split(separator: "\n"))
            .map { "  " + $0 }.joined(separator: "\n")
        directory = try TemporaryDirectory()
        try directory.write("secret-main", "main-secret-value\n")
        try directory.write("secret-old", "old-secret-value\n")
        configPath = try directory.write(
            "config.yml",
            """
            listen: 127.0.0.1:\(port)
            admin_listen: "\(admin)"
            store:
            \(storeSection)
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
    /// holds the YAML lines of `worker`; `rulesSection` is the config's `rules:` key (its directory
    /// must be `rules`).
    static func callingArtifactory(
        at baseURL: URL, rules: String, worker: String, token: String, extra: String = "",
        rulesSection: String = "rules: rules", endpoints: String = TestDaemon.defaultEndpoints,
        admin: String = "127.0.0.1:0", store: String = "sqlite: var/events.sqlite", callTimeout: String = "30s",
        port: Int = 0
    ) throws -> TestDaemon {
        let indentedWorker = worker.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let daemon = try TestDaemon(
            endpoints: endpoints,
            extra: """
                \(extra)
                \(rulesSection)
                artifactory:
                  url: \(baseURL.absoluteString)
                  token_file: token
                  timeout: \(callTimeout)
                worker:
                \(indentedWorker)
                """, port: port, admin: admin, store: store)
        try daemon.directory.write("token", token)
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

    /// Polls the store every 20 ms, up to `seconds`, until `condition` holds for its events, and
    /// returns them; when it never does, records an issue and returns the last read. A store file
    /// the daemon has not made yet reads as no events.
    func waitForEvents(seconds: Int = 60, _ condition: ([StoredEvent]) -> Bool) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        for _ in 0..<(seconds * 50) {
            if FileManager.default.fileExists(atPath: databasePath) {
                events = try await storedEvents()
                if condition(events) { return events }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the events did not arrive: \(events.count) stored")
        return events
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()
}

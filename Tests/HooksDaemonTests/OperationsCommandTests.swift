import ArtifactoryEvents
import Foundation
import GRDB
import HooksTestSupport
import Storage
import Testing

@Suite("status and events prune on the command line", .timeLimit(.minutes(2)))
struct OperationsCommandTests {
    /// Runs `artifactory-hooks ARGUMENTS` to the end: its exit status and what it printed.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    @Test("events prune: --dry-run counts, then deletes old settled events only; default from the config")
    func prune() async throws {
        let daemon = try TestDaemon(storeKeys: "retention: 30d")
        defer { daemon.directory.remove() }
        let store = try await daemon.openStore()
        try await StoreSeed.event(in: store, path: "a/1.jar", age: 10 * StoreSeed.day)
        try await StoreSeed.event(in: store, path: "a/2.jar", age: 10 * StoreSeed.day)
        try await StoreSeed.event(in: store, path: "a/3.jar", age: 40 * StoreSeed.day)
        try await StoreSeed.event(in: store, path: "a/4.jar", age: 40 * StoreSeed.day, jobs: 2)
        try await StoreSeed.event(in: store, path: "a/5.jar", age: 60)
        try await store.close()

        let dry = try await Self.run(["events", "prune", "--config", daemon.configPath, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.output.contains("Dry run: would delete 1 event(s), 0 job(s), 0 attempt(s) received before"))
        #expect(try await daemon.storedEvents().count == 5)

        let week = try await Self.run(["events", "prune", "--config", daemon.configPath, "--older-than", "7d"])
        #expect(week.status == 0)
        #expect(week.output.contains("Deleted 3 event(s), 0 job(s), 0 attempt(s)"))
        #expect(try await daemon.storedEvents().map(\.path) == ["a/4.jar", "a/5.jar"])

        // Inside ingest.dedup_window (5m by default) events stay: their fingerprints recognise a redelivery.
        let recent = try await Self.run(["events", "prune", "--config", daemon.configPath, "--older-than", "30s"])
        #expect(recent.status == 0)
        #expect(recent.output.contains("Keeping the events of the last 5m (ingest.dedup_window)"), "\(recent.output)")
        #expect(recent.output.contains("Deleted 0 event(s)"))
        #expect(try await daemon.storedEvents().map(\.path) == ["a/4.jar", "a/5.jar"])

        let bad = try await Self.run(["events", "prune", "--config", daemon.configPath, "--older-than", "soon"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("--older-than takes a duration"))
    }

    @Test("commands need only the store's credentials: secrets, token and TLS pair of the unit may be absent")
    func commandsWithoutDaemonCredentials() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // As under systemd: bare names are LoadCredential= files, HOOKS_TOKEN comes from the unit.
        let config = try directory.write(
            "config.yml",
            """
            listen: 127.0.0.1:0
            store:
              sqlite: events.sqlite
            tls:
              cert_file: tls-cert
              key_file: tls-key
            artifactory:
              url: https://artifactory.example.com/artifactory
              token_env: HOOKS_TOKEN
            endpoints:
              - name: main
                auth: hmac-sha256
                secret_file: webhook-secret
            """)
        let migrate = try await Self.run(["store", "migrate", "--config", config])
        #expect(migrate.status == 0, "\(migrate.output)")
        for arguments in [["events", "list"], ["jobs", "list"], ["status"]] {
            let command = try await Self.run(arguments + ["--config", config])
            #expect(command.status == 0, "\(arguments): \(command.output)")
        }
        // The daemon needs them all, and says which are missing.
        let serve = try await Self.run(["serve", "--config", config])
        #expect(serve.status == 1)
        for key in ["tls.cert_file", "artifactory.token_env", "endpoints[0].secret_file"] {
            #expect(serve.output.contains(key), "\(key) in \(serve.output)")
        }
    }

    @Test("commands never create or migrate the store: a wrong path, an older or a newer schema is refused")
    func commandsLeaveTheSchemaAlone() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        // No store yet: the command says so and creates nothing.
        let missing = try await Self.run(["events", "list", "--config", daemon.configPath])
        #expect(missing.status == 1)
        #expect(missing.output.contains("no event store at \(daemon.databasePath)"), "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: daemon.databasePath))

        let store = try await daemon.openStore()
        try await StoreSeed.event(in: store, path: "a/1.jar", age: 60)
        try await store.close()
        func migrations() throws -> [String] {
            try DatabaseQueue(path: daemon.databasePath).read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            }
        }
        let latest = try #require(try migrations().last)

        // As if a daemon of the previous version still ran on it: refused, and not upgraded.
        try await DatabaseQueue(path: daemon.databasePath).write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [latest])
        }
        let older = try await Self.run(["jobs", "list", "--config", daemon.configPath])
        #expect(older.status == 1)
        #expect(older.output.contains("is older than this artifactory-hooks (it lacks migration \(latest))"))
        #expect(older.output.contains("store migrate"))
        #expect(try migrations().last != latest)
        // (The tables are the latest version's: put the row back rather than migrate them twice.)
        try await DatabaseQueue(path: daemon.databasePath).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [latest])
        }
        #expect(try await Self.run(["events", "list", "--config", daemon.configPath]).status == 0)

        // Upgraded by a newer version: neither the commands nor the daemon touch it.
        try await DatabaseQueue(path: daemon.databasePath).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        }
        for arguments in [["status"], ["serve"], ["store", "migrate"]] {
            let newer = try await Self.run(arguments + ["--config", daemon.configPath])
            #expect(newer.status == 1, "\(arguments)")
            #expect(
                newer.output.contains("was upgraded by a newer artifactory-hooks (migration v99-future)"),
                "\(arguments): \(newer.output)")
        }
    }

    @Test("status summarises events, jobs, dead letters, deferred events, rules and size, as text and JSON")
    func status() async throws {
        let daemon = try TestDaemon(
            extra: """
                rules: rules
                """)
        defer { daemon.directory.remove() }
        try daemon.directory.write(
            "rules/tag.yml",
            "rules:\n  - name: tag\n    on: artifact.deployed\n    do:\n      - set_properties: { a: b }\n")
        let store = try await daemon.openStore()
        try await StoreSeed.event(in: store, path: "s/1.jar", age: 60, jobs: 2)
        try await StoreSeed.event(in: store, path: "s/2.jar", age: 120)
        try await StoreSeed.event(in: store, path: "s/old.jar", age: 2 * StoreSeed.day)
        let body = Array(DeliveryHarness.deployed("s/deferred.jar").utf8)
        let deferred = try await store.insert(
            NewEvent(
                receivedAt: Date(), endpoint: "main", event: try .init(body: body), body: body, sourceAddress: nil),
            dedupWindow: .zero
        ) { _, _ in .deferred }
        let bare = Array(#"{"event_type":"mystery"}"#.utf8)
        _ = try await store.insert(
            NewEvent(
                receivedAt: Date(), endpoint: "main", event: try .init(body: bare), body: bare, sourceAddress: nil),
            dedupWindow: .zero
        ) { _, _ in EventPlan() }
        try await store.close()

        let text = try await Self.run(["status", "--config", daemon.configPath])
        #expect(text.status == 0)
        #expect(text.output.contains("Events, last hour: 4 (+ 0 duplicates)"))
        #expect(text.output.contains("(no domain).mystery"), "\(text.output)")
        #expect(text.output.contains("artifact.deployed"))
        #expect(text.output.contains("Jobs: pending 2, running 0, failed 0, done 0, dead 0, cancelled 0"))
        #expect(text.output.contains("Oldest unfinished job: 1 (pending,"))
        #expect(text.output.contains("Dead letters: 0"))
        #expect(text.output.contains("Deferred events: 1"))
        // The deferred event says so, where "jobs: none" alone looked like "no rule matched".
        let show = try await Self.run(["events", "show", "--config", daemon.configPath, String(deferred.eventID)])
        #expect(show.output.contains("planning:      deferred (backpressure)"), "\(show.output)")
        let list = try await Self.run(["events", "list", "--config", daemon.configPath, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(rows.first { $0["id"] as? Int == Int(deferred.eventID) }?["plan_deferred"] as? Bool == true)
        #expect(rows.filter { $0["plan_deferred"] as? Bool == true }.count == 1)
        // A list cut at --limit says so, on standard error.
        let cut = try await Self.run(["events", "list", "--config", daemon.configPath, "--limit", "2"])
        #expect(cut.output.contains("(the newest 2 shown; --limit N shows more)"), "\(cut.output)")
        #expect(text.output.contains("Rules: 1 enabled"))
        #expect(text.output.contains("Store size: "))

        let json = try await Self.run(["status", "--config", daemon.configPath, "--json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((object["events_by_kind"] as? [String: Int])?["artifact.deployed"] == 3)
        #expect(object["events_total"] as? Int == 5)
        #expect((object["jobs_by_state"] as? [String: Int])?["pending"] == 2)
        #expect(object["deferred_events"] as? Int == 1)
        #expect(object["dead_letters"] as? Int == 0)
        #expect(object["rules_loaded"] as? Int == 1)
        #expect((object["store_bytes"] as? Int ?? 0) > 0)
        #expect((object["oldest_unfinished_job"] as? [String: Any])?["age_seconds"] as? Int ?? -1 >= 0)

        // Rules that do not load: the errors are counted and shown, not the warnings before them.
        try daemon.directory.write(
            "rules/a-warn.yml",
            "rules:\n  - name: w\n    on: artifact.deployd\n    do:\n      - set_properties: { a: b }\n")
        try daemon.directory.write(
            "rules/b-broken.yml",
            "rules:\n  - name: e\n    on: artifact.deployed\n    do:\n      - set_properties: { a: }\n")
        let broken = try await Self.run(["status", "--config", daemon.configPath])
        #expect(broken.status == 0)
        #expect(broken.output.contains("Rules: not loadable: 1 error(s), first: "), "\(broken.output)")
        #expect(broken.output.contains("b-broken.yml:5:30: error:"), "\(broken.output)")
        #expect(!broken.output.contains("warning"), "\(broken.output)")
    }

    @Test("serve: the binary serves /metrics on its admin listener only")
    func binaryServesMetrics() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let server = try DaemonProcess(["serve", "--config", daemon.configPath])
        let port = try await server.waitUntilListening()
        var adminPort: Int?
        for _ in 0..<500 where adminPort == nil {
            let text = server.printed
            if let range = text.range(of: #"admin\.address=127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                adminPort = text[range].split(separator: ":").last.flatMap { Int($0) }
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let admin = try #require(adminPort)

        let metrics = try await AdminListener.get("http://127.0.0.1:\(admin)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("artifactory_hooks_dead_letters_total 0"))
        #expect(metrics.body.contains(#"artifactory_hooks_jobs{state="dead"} 0"#))
        #expect(try await AdminListener.get("http://127.0.0.1:\(port)/metrics").status == 404)

        server.send(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    @Test("serve: an admin_listen address already in use stops the daemon with the bind error")
    func adminPortInUse() async throws {
        let first = try TestDaemon()
        defer { first.directory.remove() }
        let running = try DaemonProcess(["serve", "--config", first.configPath])
        let taken = try await running.waitUntilListening()

        let second = try TestDaemon(admin: "127.0.0.1:\(taken)")
        defer { second.directory.remove() }
        let refused = try DaemonProcess(["serve", "--config", second.configPath])
        #expect(try await refused.waitForExit() != 0)
        #expect(refused.printed.lowercased().contains("address already in use"))

        running.send(SIGTERM)
        _ = try await running.waitForExit()
    }
}

import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("store migrate and store copy", .serialized, .timeLimit(.minutes(2)))
struct StoreCommandTests {
    @Test("store migrate creates the schema and prints its version")
    func migrateSQLite() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let migrate = try DaemonProcess(["store", "migrate", "--config", daemon.configPath])
        #expect(try await migrate.waitForExit() == 0)
        #expect(
            migrate.printed.contains(
                "schema: v16-activity-indexes (migrations: v1-events, v2-jobs, v3-retention, v4-job-counts, v5-lease-indexes, v6-partial-indexes, v7-job-counts-in-code, v8-duplicate-bodies, v9-shadow-jobs, v10-fanout-expansions, v11-skipped-jobs, v12-ignored-events, v13-throttles, v14-catch-up, v15-subscription-tests, v16-activity-indexes)"
            ),
            "\(migrate.printed)")
        #expect(FileManager.default.fileExists(atPath: daemon.databasePath))
    }

    @Test(
        "store migrate and store copy against PostgreSQL; a used target needs --replace",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func copyToPostgres() async throws {
        let database = try await TestPostgres.createDatabase()
        let daemon = try TestDaemon(store: "postgres: \(database.url)\ntls: disable")
        defer { daemon.directory.remove() }
        do {
            let migrate = try DaemonProcess(["store", "migrate", "--config", daemon.configPath])
            #expect(try await migrate.waitForExit() == 0)
            #expect(migrate.printed.contains("schema: v16-activity-indexes"), "\(migrate.printed)")

            // A SQLite history of three events, one of them a duplicate.
            let sqlite = try SQLiteEventStore(configuration: .init(path: daemon.databasePath))
            try await sqlite.migrate()
            for path in ["a", "b", "a"] {
                _ = try await sqlite.insert(
                    try delivery(
                        #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"\#(path)"}}"#),
                    dedupWindow: .seconds(60))
            }
            try await sqlite.close()
            let arguments = [
                "store", "copy", "--from", "sqlite:\(daemon.databasePath)", "--to", "postgres:\(database.url)",
                "--tls", "disable",
            ]
            let copy = try DaemonProcess(arguments)
            #expect(try await copy.waitForExit() == 0)
            #expect(copy.printed.contains("copied 3 events, 2 fingerprints, 0 jobs"), "\(copy.printed)")
            #expect(!copy.printed.contains("password"))

            let refused = try DaemonProcess(arguments)
            #expect(try await refused.waitForExit() == 1)
            #expect(refused.printed.contains("already holds events or jobs; --replace empties it first"))

            let replaced = try DaemonProcess(arguments + ["--replace"])
            #expect(try await replaced.waitForExit() == 0)

            let list = try DaemonProcess(["events", "list", "--config", daemon.configPath, "--json"])
            #expect(try await list.waitForExit() == 0)
            let rows = try JSONSerialization.jsonObject(with: Data(list.printed.utf8)) as? [[String: Any]]
            #expect(rows?.count == 3)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    func delivery(_ body: String) throws -> NewEvent {
        let bytes = Array(body.utf8)
        return NewEvent(
            receivedAt: Date(), endpoint: "main", event: try .init(body: bytes), body: bytes, sourceAddress: nil)
    }
}

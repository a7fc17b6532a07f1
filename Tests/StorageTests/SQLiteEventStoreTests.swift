import ArtifactoryEvents
import Foundation
import GRDB
import HooksTestSupport
import Testing

@testable import Storage

@Suite("SQLite specifics")
struct SQLiteEventStoreTests {
    @Test("WAL, synchronous FULL by default, and the configured level otherwise, also after a lease")
    func pragmas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (setting, expected) in [(SQLiteEventStore.Synchronous.full, 2), (.normal, 1), (.extra, 3)] {
            let store = try SQLiteEventStore(
                configuration: .init(path: directory.path("\(setting).sqlite"), synchronous: setting))
            try await store.migrate()
            // A lease commits at NORMAL and must put the configured level back.
            _ = try await store.leaseJobs(
                owner: "test", limit: 1, now: Date(), leaseDuration: .seconds(60), effectWindow: .seconds(60))
            let (mode, level) = try await store.pool.write { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(mode == "wal")
            #expect(level == expected)
            try await store.close()
        }
    }

    @Test("events survive closing and reopening the file; migrating twice is harmless")
    func persistence() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("nested/dir/events.sqlite")
        let first = try SQLiteEventStore(configuration: .init(path: path))
        try await first.migrate()
        let id = try await first.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60)).eventID
        try await first.close()

        let second = try SQLiteEventStore(configuration: .init(path: path))
        try await second.migrate()
        #expect(try await second.event(id: id)?.path == "a")
        // Dedup state survives too.
        #expect(
            try await second.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60)).duplicateOf == id)
        try await second.close()
    }

    @Test("the schema refuses rows that break its invariants")
    func constraints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        let badRows = [
            // empty endpoint
            "INSERT INTO events (received_at, endpoint, domain, event_type, subject, body, fingerprint) VALUES (1, '', 'a', 'b', '', x'00', zeroblob(32))",
            // short fingerprint
            "INSERT INTO events (received_at, endpoint, domain, event_type, subject, body, fingerprint) VALUES (1, 'm', 'a', 'b', '', x'00', x'00')",
            // missing body
            "INSERT INTO events (received_at, endpoint, domain, event_type, subject, fingerprint) VALUES (1, 'm', 'a', 'b', '', zeroblob(32))",
            // duplicate_of pointing nowhere
            "INSERT INTO events (received_at, endpoint, domain, event_type, subject, body, fingerprint, duplicate_of) VALUES (1, 'm', 'a', 'b', '', x'00', zeroblob(32), 999)",
        ]
        for sql in badRows {
            await #expect(throws: DatabaseError.self, "accepted: \(sql)") {
                try await store.pool.write { db in try db.execute(sql: sql) }
            }
        }
        try await store.close()
    }

    @Test("a store that cannot write says so with its path, not a crash")
    func unwritable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        try await store.pool.write { db in
            try db.execute(
                sql: "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
        }
        do {
            _ = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60))
            Issue.record("insert succeeded")
        } catch let error as StorageError {
            #expect(error.code == .writeFailed)
            #expect(error.description.contains("events.sqlite"))
            #expect(error.debugDescription.contains("disk on fire"))
        }
        #expect(try await store.events(matching: EventQuery()).isEmpty)
        try await store.close()
    }
}

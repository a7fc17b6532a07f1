import Foundation
import GRDB
import HooksTestSupport
import Testing

@testable import Storage

@Suite("SQLite: the v9 migration that adds the shadow state")
struct SQLiteShadowMigrationTests {
    @Test("a v8 file keeps its jobs, attempts, counts, indexes and id sequence when the jobs table is rebuilt")
    func rebuildKeepsEverything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")

        // Given a v8 file with a done job (and its attempt), a pending job, and the highest job id
        // deleted (as retention does), which AUTOINCREMENT must never hand out again
        let older = try DatabaseQueue(path: path)
        try SQLiteEventStore.migrator.migrate(older, upTo: "v8-duplicate-bodies")
        try await older.write { db in
            try db.execute(
                sql: """
                    INSERT INTO events (id, received_at, endpoint, domain, event_type, subject, body, fingerprint)
                    VALUES (1, 1, 'main', 'artifact', 'deployed', 'artifact:r/a', x'7b7d', zeroblob(32));
                    INSERT INTO jobs (id, event_id, rule, action_index, kind, subject, request, origin, state,
                        attempt_count, created_at, due_at, finished_at)
                    VALUES (1, 1, 'tag', 0, 'set_properties', 'artifact:r/a', '{}', 'ingest', 'done', 1, 1, 1, 2),
                           (2, 1, 'tag', 1, 'copy', 'artifact:r/a', '{}', 'replay', 'pending', 0, 1, 1, NULL),
                           (3, 1, 'tag', 2, 'copy', 'artifact:r/a', '{}', 'ingest', 'pending', 0, 1, 1, NULL);
                    INSERT INTO attempts (job_id, started_at, duration_us, http_status, outcome)
                    VALUES (1, 1, 10, 204, 'success');
                    """)
            try SQLiteEventStore.recountJobs(in: db)
            try db.execute(sql: "DELETE FROM jobs WHERE id = 3")
        }
        try older.close()

        // When the store migrates it
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.schemaVersions() == SQLiteEventStore.migrator.migrations)

        // Then the rows, their attempts and the counts are as they were
        let jobs = try await store.jobs(forEvent: 1)
        #expect(jobs.map(\.id) == [1, 2])
        #expect(jobs.map(\.state) == [.done, .pending])
        #expect(jobs.map(\.origin) == [.ingest, .replay])
        #expect(try await store.attempts(forJob: 1).map(\.httpStatus) == [204])
        #expect(try await store.jobCounts() == [.done: 1, .pending: 1])

        // …the indexes and the delete trigger are back, and the foreign keys hold
        let schema = try await store.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'jobs' AND type IN ('index', 'trigger')")
        }
        #expect(
            Set(schema).isSuperset(of: [
                "jobs_due", "jobs_subject", "jobs_event", "jobs_waiting", "jobs_counted_delete",
            ]))
        let violations = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
        }
        #expect(violations == 0)

        // …a new job gets an id above every id ever given, and a shadow job is accepted
        let planned = try await store.addPlan(
            EventPlan(jobs: [
                NewJob(
                    rule: "trial", actionIndex: 0, kind: "delete", subject: "artifact:r/a", request: "{}", shadow: true)
            ]), toEvent: 1, origin: .ingest)
        #expect(planned == 1)
        let added = try #require(try await store.jobs(forEvent: 1).last)
        #expect(added.id == 4)
        #expect(added.state == .shadow)
        #expect(try await store.jobCounts() == [.done: 1, .pending: 1, .shadow: 1])

        // …and deleting the event still cascades to its jobs and attempts, counted by the trigger
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM events WHERE id = 1") }
        #expect(try await store.jobCounts() == [:])
        let attempts = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attempts") }
        #expect(attempts == 0)
        try await store.close()
    }

    @Test("the schema refuses a shadow job that was attempted, and a state it does not know")
    func constraints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        let event = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .zero).eventID
        for (state, attempts) in [("shadow", 1), ("sent", 0)] {
            await #expect(throws: DatabaseError.self, "accepted \(state) with \(attempts) attempt(s)") {
                try await store.pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, state,
                                attempt_count, created_at, due_at)
                            VALUES (?, 'r', 0, 'delete', 's', '{}', 'ingest', ?, ?, 1, 1)
                            """, arguments: [event, state, attempts])
                }
            }
        }
        try await store.close()
    }
}

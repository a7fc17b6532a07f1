import Foundation
import GRDB
import HooksTestSupport
import Testing

@testable import Storage

@Suite("SQLite: the v11 migration that adds the skipped state")
struct SQLiteSkippedMigrationTests {
    @Test("a v10 file keeps its jobs, children, attempts, counts, indexes and id sequences")
    func rebuildKeepsEverything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")

        // Given a v10 file with a done expansion and its child (with an attempt), and the highest
        // job and attempt ids deleted, which AUTOINCREMENT must never hand out again
        let older = try DatabaseQueue(path: path)
        try SQLiteEventStore.migrator.migrate(older, upTo: "v10-fanout-expansions")
        try await older.write { db in
            try db.execute(
                sql: """
                    INSERT INTO events (id, received_at, endpoint, domain, event_type, subject, body, fingerprint)
                    VALUES (1, 1, 'main', 'build', 'promoted', 'build:p#1', x'7b7d', zeroblob(32));
                    INSERT INTO jobs (id, event_id, rule, action_index, kind, subject, request, origin, state,
                        attempt_count, created_at, due_at, finished_at, parent_job_id, expansion_key)
                    VALUES (1, 1, 'r', 0, 'for_each', 'build:p#1', '{}', 'ingest', 'done', 1, 1, 1, 2, NULL, NULL),
                           (2, 1, 'r', 0, 'set_properties', 'artifact:r/a', '{}', 'ingest', 'done', 1, 1, 1, 2, 1,
                            'r/a'),
                           (3, 1, 'r', 0, 'set_properties', 'artifact:r/b', '{}', 'ingest', 'pending', 0, 1, 1,
                            NULL, 1, 'r/b');
                    INSERT INTO expansions (job_id, next_offset, found) VALUES (1, 2, 2);
                    INSERT INTO attempts (id, job_id, started_at, duration_us, http_status, outcome)
                    VALUES (1, 2, 1, 10, 204, 'success'), (2, 3, 1, 10, 500, 'retry');
                    """)
            try SQLiteEventStore.recountJobs(in: db)
            try db.execute(sql: "DELETE FROM jobs WHERE id = 3")
        }
        try older.close()

        // When the store migrates it
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.schemaVersions() == SQLiteEventStore.migrator.migrations)

        // Then the rows are as they were, and the indexes, trigger and foreign keys hold
        #expect(try await store.jobs(forEvent: 1).map(\.id) == [1, 2])
        #expect(try await store.attempts(forJob: 2).map(\.outcome) == ["success"])
        #expect(try await store.jobCounts() == [.done: 2])
        let schema = try await store.pool.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE tbl_name IN ('jobs', 'attempts') AND type IN ('index', 'trigger')"
            )
        }
        #expect(
            Set(schema).isSuperset(of: [
                "jobs_due", "jobs_subject", "jobs_event", "jobs_waiting", "jobs_expansion_child", "jobs_counted_delete",
                "attempts_job",
            ]))
        #expect(try await store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count } == 0)
        let children = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT expansion_key FROM jobs WHERE parent_job_id = 1")
        }
        #expect(children == ["r/a"])

        // …a new job and attempt get ids above every id ever given, and skipped is accepted
        _ = try await store.addPlan(
            EventPlan(jobs: [NewJob(rule: "g", actionIndex: 0, kind: "delete", subject: "artifact:r/c", request: "{}")]
            ),
            toEvent: 1, origin: .ingest)
        let leased = try await store.leaseJobs(
            owner: "w", limit: 10, now: Date(), leaseDuration: .seconds(30), effectWindow: .seconds(30))
        #expect(leased.map(\.job.id) == [4])
        #expect(
            try await store.finishAttempt(
                JobAttempt(
                    jobID: 4, startedAt: Date(), duration: .zero, httpStatus: nil, message: "no", next: .skipped),
                owner: "w"))
        #expect(try await store.attempts(forJob: 4).map(\.id) == [3])
        #expect(try await store.jobCounts() == [.done: 2, .skipped: 1])
        try await store.close()
    }
}

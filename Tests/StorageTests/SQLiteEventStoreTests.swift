import ArtifactoryEvents
import Dispatch
import Foundation
import GRDB
import HooksTestSupport
import Synchronization
import Testing

@testable import Storage

@Suite("SQLite specifics")
struct SQLiteEventStoreTests {
    @Test(
        "WAL, synchronous FULL by default, and the configured level otherwise, also after a lease; temporary data in memory"
    )
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
            let (mode, level, temporary) = try await store.pool.write { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                    try Int.fetchOne(db, sql: "PRAGMA temp_store")
                )
            }
            #expect(mode == "wal")
            #expect(level == expected)
            // 2 = MEMORY: the savepoints of a group commit journal in memory, not in a temporary file.
            #expect(temporary == 2)
            try await store.close()
        }
    }

    @Test("deliveries, finished attempts and a lease queued together commit as one batch, in that order")
    func sharedBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        let job: @Sendable (String) -> NewJob = { subject in
            NewJob(rule: "tag", actionIndex: 0, kind: "set_properties", subject: subject, request: "{}", effects: [])
        }
        // One job of subject r/a runs already; a second one of r/a waits behind it.
        _ = try await store.insert(try delivery(artifactBody(path: "first")), dedupWindow: .zero) { _, _ in
            EventPlan(jobs: [job("artifact:r/a")])
        }
        let running = try await store.leaseJobs(
            owner: "w", limit: 10, now: Date(), leaseDuration: .seconds(60), effectWindow: .seconds(60))
        #expect(running.count == 1)

        // Hold the writer so that everything below queues up and forms one batch.
        let writer = await HeldWriter(store)
        // The lease is queued first, yet it runs last: it sees the new jobs and the freed subject.
        // Its `now` is 30 s ahead, so jobs inserted after it (due when inserted) are due for it
        // however slowly a loaded machine runs this, and the running job's 60 s lease still holds.
        let lease = Task {
            try await store.leaseJobs(
                owner: "w", limit: 10, now: Date().addingTimeInterval(30), leaseDuration: .seconds(60),
                effectWindow: .seconds(60))
        }
        while store.writes.pendingCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        let inserts = (0..<3).map { index in
            Task {
                try await store.insert(try delivery(artifactBody(path: "new-\(index)")), dedupWindow: .zero) { _, _ in
                    EventPlan(jobs: [job(index == 0 ? "artifact:r/a" : "artifact:r/n\(index)")])
                }
            }
        }
        let finish = Task {
            try await store.finishAttempt(
                JobAttempt(
                    jobID: running[0].job.id, startedAt: Date(), duration: .milliseconds(1), httpStatus: 200,
                    message: nil, next: .done),
                owner: "w")
        }
        while store.writes.pendingCount < 5 { try await Task.sleep(for: .milliseconds(1)) }
        try await writer.release()
        #expect(try await finish.value)
        var planned: [Int64] = []
        for insert in inserts { planned += try await store.jobs(forEvent: try await insert.value.eventID).map(\.id) }
        #expect(Set(try await lease.value.map(\.job.id)) == Set(planned))
        try await store.close()
    }

    @Test("a failing delivery in a batch fails alone: the others are stored once, with their jobs")
    func failingItemInBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        // Hold the writer so that the three deliveries below form one batch.
        let writer = await HeldWriter(store)
        let inserts = (0..<3).map { index in
            Task {
                try await store.insert(try delivery(artifactBody(path: "batch-\(index)")), dedupWindow: .zero) { _, _ in
                    // An empty rule name breaks the jobs table's CHECK: the second delivery fails.
                    EventPlan(jobs: [
                        NewJob(
                            rule: index == 1 ? "" : "tag", actionIndex: 0, kind: "set_properties",
                            subject: "artifact:r/\(index)", request: "{}", effects: [])
                    ])
                }
            }
        }
        while store.writes.pendingCount < 3 { try await Task.sleep(for: .milliseconds(1)) }
        try await writer.release()
        let first = try await inserts[0].value
        await #expect(throws: StorageError.self) { try await inserts[1].value }
        let third = try await inserts[2].value
        let stored = try await store.events(matching: EventQuery(limit: 10))
        #expect(stored.compactMap(\.path).sorted() == ["batch-0", "batch-2"])
        #expect(try await store.jobs(forEvent: first.eventID).count == 1)
        #expect(try await store.jobs(forEvent: third.eventID).count == 1)
        #expect(try await store.jobs(matching: JobQuery(limit: 10)).count == 2)
        // The failed delivery's job was counted in the batch that rolled back, and is not now.
        #expect(try await store.jobCounts() == [.pending: 2])
        try await store.close()
    }

    @Test("a delivery whose batch is written again is planned again; its result holds the plan that committed")
    func batchWrittenAgainPlansAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        // Hold the writer so that the two deliveries below form one batch.
        let writer = await HeldWriter(store)
        let calls = EventStorePlanContractTests.Calls()
        // Each call plans a job named after it: the stored job tells which call committed.
        let planned = Task {
            try await store.insert(try delivery(artifactBody(path: "planned")), dedupWindow: .zero) { id, _ in
                let call = calls.ids.withLock { ids in
                    ids.append(id)
                    return ids.count
                }
                return EventPlan(jobs: [
                    NewJob(
                        rule: "call-\(call)", actionIndex: 0, kind: "set_properties", subject: "artifact:r/p",
                        request: "{}")
                ])
            }
        }
        while store.writes.pendingCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        let failing = Task {
            try await store.insert(try delivery(artifactBody(path: "failing")), dedupWindow: .zero) { _, _ in
                // An empty rule name breaks the jobs table's CHECK.
                EventPlan(jobs: [
                    NewJob(rule: "", actionIndex: 0, kind: "set_properties", subject: "artifact:r/f", request: "{}")
                ])
            }
        }
        while store.writes.pendingCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        try await writer.release()
        let result = try await planned.value
        await #expect(throws: StorageError.self) { try await failing.value }
        #expect(calls.ids.withLock { $0.count } == 2)
        #expect(result.plan.jobs.map(\.rule) == ["call-2"])
        #expect(try await store.jobs(forEvent: result.eventID).map(\.rule) == ["call-2"])
        try await store.close()
    }

    @Test("the build and duplicate indexes hold only events that name one, and queries still use them")
    func partialIndexes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        let original = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60))
        let (entries, plans) = try await store.pool.read { db in
            // Each index's CREATE statement, by name.
            var entries: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'events'") {
                entries[row["name"]] = row["sql"]
            }
            let plans = try [
                // `events list --build`, and what deleting an event does to its duplicates.
                "SELECT * FROM events WHERE build_name = 'x' ORDER BY id DESC LIMIT 10",
                "UPDATE events SET duplicate_of = NULL WHERE duplicate_of = \(original.eventID)",
            ].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined()
            }
            return (entries, plans)
        }
        #expect(entries["events_build"]?.hasSuffix("WHERE build_name IS NOT NULL") == true)
        #expect(entries["events_duplicate_of"]?.hasSuffix("WHERE duplicate_of IS NOT NULL") == true)
        #expect(plans[0].contains("INDEX events_build"), "\(plans[0])")
        #expect(plans[1].contains("INDEX events_duplicate_of"), "\(plans[1])")
        try await store.close()
    }

    @Test("a v5 file with events keeps them, and their index entries, when migrated to v6")
    func upgradesToPartialIndexes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let older = try DatabaseQueue(path: path)
        try SQLiteEventStore.migrator.migrate(older, upTo: "v5-lease-indexes")
        // Rows as a v5 daemon wrote them (today's insert names columns v5 did not have): an
        // artifact event, a duplicate of it, and a build event.
        try await older.write { db in
            let insert = """
                INSERT INTO events (received_at, endpoint, domain, event_type, subject, repo, path, build_name,
                    build_number, body, fingerprint, duplicate_of)
                VALUES (?, 'main', ?, ?, ?, ?, ?, ?, ?, X'7B7D', ?, ?)
                """
            let fingerprint = Data(repeating: 7, count: 32)
            try db.execute(
                sql: insert,
                arguments: [1, "artifact", "deployed", "artifact:r/a", "r", "a", nil, nil, fingerprint, nil])
            try db.execute(
                sql: insert,
                arguments: [2, "artifact", "deployed", "artifact:r/a", "r", "a", nil, nil, fingerprint, 1])
            try db.execute(
                sql: insert, arguments: [3, "build", "uploaded", "build:app#7", nil, nil, "app", "7", fingerprint, nil])
        }
        try older.close()
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.schemaVersions() == SQLiteEventStore.migrator.migrations)
        #expect(try await store.events(matching: EventQuery(buildName: "app")).map(\.buildNumber) == ["7"])
        let duplicates = try await store.pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM events INDEXED BY events_duplicate_of WHERE duplicate_of = 1")
        }
        #expect(duplicates == 1)
        try await store.close()
    }

    @Test("a second opener (the CLI) reads while another connection holds the write lock: opening writes nothing")
    func opensWithoutWriting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let daemon = try SQLiteEventStore(configuration: .init(path: path))
        try await daemon.migrate()
        let stored = try await daemon.insert(try delivery(artifactBody(path: "a")), dedupWindow: .zero)
        // Another connection in the middle of a write transaction, as the daemon's writer is.
        let writer = try DatabaseQueue(path: path)
        let (locked, gate) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let holder = Task {
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                gate.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                locked.wait()
                continuation.resume()
            }
        }
        let started = ContinuousClock.now
        let reader = try SQLiteEventStore(configuration: .init(path: path))
        try await reader.migrate()
        #expect(try await reader.events(matching: EventQuery(limit: 10)).map(\.id) == [stored.eventID])
        // Waiting for the lock would take the busy timeout (10 s).
        #expect(ContinuousClock.now - started < .seconds(8))
        gate.signal()
        try await holder.value
        try writer.close()
        try await reader.close()
        try await daemon.close()
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

@Suite("SQLite retention")
struct SQLiteRetentionTests {
    @Test("a new file vacuums incrementally, and pruning gives pages back to the file system")
    func incrementalVacuum() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") } == 2)
        let padding = String(repeating: "x", count: 4000)
        let old = Date().addingTimeInterval(-86_400)
        for index in 0..<300 {
            let body = artifactBody(path: "p\(index)/\(padding)")
            _ = try await store.insert(try delivery(body, at: old), dedupWindow: .seconds(1))
        }
        var pruned = 0
        while true {
            let batch = try await store.pruneEvents(receivedBefore: Date(), limit: 100).events
            pruned += batch
            if batch < 100 { break }
        }
        #expect(pruned == 300)
        let reclaimed = try await store.reclaimSpace()
        #expect(reclaimed > 300 * 4000)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") } == 0)
        try await store.close()
    }

    @Test("a large prune's pages go back in steps, all of them; the log is then cut back to its limit")
    func walSizeLimit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        var configuration = SQLiteEventStore.Configuration(path: path, walSizeLimit: 256 << 10)
        // Several reclaim steps, each its own transaction, must together hand back every free page.
        configuration.reclaimStepPages = 100
        let store = try SQLiteEventStore(configuration: configuration)
        try await store.migrate()
        let padding = String(repeating: "x", count: 4000)
        let old = Date().addingTimeInterval(-86_400)
        for index in 0..<1500 {
            _ = try await store.insert(
                try delivery(artifactBody(path: "p\(index)/\(padding)"), at: old), dedupWindow: .seconds(1))
        }
        while try await store.pruneEvents(receivedBefore: Date(), limit: 500).events > 0 {}
        #expect(try await store.reclaimSpace() > 1500 * 4000)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") } == 0)
        // Once checkpointed (as the writer's automatic checkpoint does when traffic goes on), the next
        // write starts the log over from its beginning, truncated to the limit. Without the limit the
        // file keeps the size it grew to (about 4 MB here, 512 MB after a real prune).
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        for index in 0..<3 {
            _ = try await store.insert(
                try delivery(artifactBody(path: "q\(index)"), at: Date()), dedupWindow: .seconds(1))
        }
        let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? -1
        #expect(walSize >= 0)
        #expect(walSize <= 256 << 10, "the log is \(walSize) bytes")
        try await store.close()
    }

    @Test("a store error says why in SQLite's words: a file that is not a database")
    func errorSaysWhy() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        try directory.write("events.sqlite", String(repeating: "not a database ", count: 300))
        do {
            let store = try SQLiteEventStore(configuration: .init(path: path))
            try await store.migrate()
            Issue.record("a file of text opened as a store")
        } catch {
            #expect("\(error)".contains("file is not a database"), "\(error)")
            #expect("\(error)".contains(path))
        }
    }

    @Test("a file made without auto_vacuum is converted when migrated, keeping its rows")
    func convertsOldFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let legacy = try DatabaseQueue(path: path)
        try await legacy.write { db in
            try db.execute(sql: "CREATE TABLE leftover (x INTEGER); INSERT INTO leftover VALUES (7)")
        }
        try legacy.close()
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") } == 2)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT x FROM leftover") } == 7)
        try await store.close()
    }
}

@Suite("SQLite job counts")
struct SQLiteJobCountTests {
    /// The counts `jobCounts()` reads, against a full count of the table.
    static func expectExact(_ store: SQLiteEventStore, after step: String) async throws {
        let counted = try await store.pool.read { db in
            var counts: [StoredJob.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM jobs GROUP BY state") {
                counts[StoredJob.State(rawValue: row["state"])!] = row["n"]
            }
            return counts
        }
        #expect(try await store.jobCounts() == counted, "after \(step)")
    }

    @Test("the kept counts equal a full count after every kind of write that adds, moves or deletes jobs")
    func countsStayExact() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        let old = Date().addingTimeInterval(-86_400)
        var deferredID: Int64 = 0
        for index in 0..<13 {
            let result = try await store.insert(
                try delivery(artifactBody(path: "p\(index)"), at: old), dedupWindow: .seconds(1)
            ) { _, _ in
                index == 12
                    ? .deferred
                    : EventPlan(jobs: [EventStorePlanContractTests.job("tag", 0, subject: "artifact:r/p\(index)")])
            }
            if index == 12 { deferredID = result.eventID }
        }
        try await Self.expectExact(store, after: "inserts")
        _ = try await store.addPlan(
            EventPlan(jobs: [EventStorePlanContractTests.job("tag", 0, subject: "artifact:r/p12")]),
            toEvent: deferredID, origin: .ingest)
        try await Self.expectExact(store, after: "a deferred plan")

        // Leases that run out are leased again (running to running).
        let start = Date()
        let expiring = try await store.leaseJobs(
            owner: "gone", limit: 2, now: start, leaseDuration: .milliseconds(1), effectWindow: .seconds(30))
        #expect(expiring.count == 2)
        let leased = try await store.leaseJobs(
            owner: "w", limit: 10, now: start.addingTimeInterval(1), leaseDuration: .seconds(30),
            effectWindow: .seconds(30))
        #expect(leased.count == 10)
        try await Self.expectExact(store, after: "leases")
        // An attempt from a worker that lost its lease is not recorded and moves nothing.
        #expect(
            try await store.finishAttempt(
                JobAttempt(
                    jobID: expiring[0].job.id, startedAt: Date(), duration: .milliseconds(1), httpStatus: 200,
                    message: nil, next: .done), owner: "gone") == false)
        for (index, lease) in leased.prefix(8).enumerated() {
            let next: JobAttempt.Next = index < 5 ? .done : (index < 7 ? .dead : .retry(at: Date()))
            _ = try await store.finishAttempt(
                JobAttempt(
                    jobID: lease.job.id, startedAt: Date(), duration: .milliseconds(1), httpStatus: 200, message: nil,
                    next: next), owner: "w")
        }
        try await Self.expectExact(store, after: "finished attempts")
        #expect(try await store.releaseLeases(owner: "w") == 2)
        try await Self.expectExact(store, after: "released leases")
        _ = try await store.retryJobs(ids: [leased[5].job.id], now: Date())
        try await Self.expectExact(store, after: "retrying one job")
        _ = try await store.retryJobs(ids: nil, now: Date())
        try await Self.expectExact(store, after: "retrying every dead job")
        let running = try await store.leaseJobs(
            owner: "w", limit: 1, now: Date(), leaseDuration: .seconds(30), effectWindow: .seconds(30))
        #expect(
            try await store.cancelJob(id: try #require(running.first).job.id, now: Date().addingTimeInterval(31)))
        let pending = try await store.jobs(matching: JobQuery(state: .pending, limit: 100))
        #expect(try await store.cancelJob(id: try #require(pending.first).id, now: Date()))
        #expect(try await store.cancelJob(id: try #require(pending.first).id, now: Date()) == false)
        try await Self.expectExact(store, after: "cancels")
        _ = try await store.pruneEvents(receivedBefore: Date(), limit: 3)
        try await Self.expectExact(store, after: "pruning")
        let counts = try await store.jobCounts()
        #expect(counts.values.reduce(0, +) < 13)
        #expect(counts[.cancelled] == 2)
        try await store.close()
    }

    @Test("a v6 file with jobs upgrades to v7: the insert and update triggers are gone, the counts exact")
    func upgradesToCountingInCode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let queue = try DatabaseQueue(path: path)
        try SQLiteEventStore.migrator.migrate(queue, upTo: "v6-partial-indexes")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO events (received_at, endpoint, domain, event_type, subject, body, fingerprint)
                    VALUES (1, 'main', 'artifact', 'deployed', 'artifact:r/a', x'7b7d', zeroblob(32));
                    INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at, due_at)
                    VALUES (1, 'tag', 0, 'set_properties', 'artifact:r/a', '{}', 'ingest', 1, 1),
                           (1, 'tag', 1, 'set_properties', 'artifact:r/a', '{}', 'ingest', 1, 1);
                    UPDATE jobs SET state = 'done' WHERE action_index = 1;
                    -- A count that drifted: the upgrade counts again.
                    UPDATE job_counts SET n = 7 WHERE state = 'pending';
                    """)
        }
        try queue.close()
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        #expect(try await store.jobCounts() == [.pending: 1, .done: 1])
        let triggers = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        }
        #expect(triggers == ["jobs_counted_delete"])
        try await Self.expectExact(store, after: "the upgrade")
        try await store.close()
    }
}

/// Keeps a store's writer busy until ``release()``: writes submitted meanwhile wait and then
/// commit as one batch.
struct HeldWriter {
    private let gate = DispatchSemaphore(value: 0)
    private let holder: Task<Void, any Error>

    /// Returns once the writer is held.
    init(_ store: SQLiteEventStore) async {
        let gate = gate
        let held = DispatchSemaphore(value: 0)
        holder = Task {
            try await store.pool.writeWithoutTransaction { _ in
                held.signal()
                gate.wait()
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                held.wait()
                continuation.resume()
            }
        }
    }

    /// Frees the writer and waits until it has been handed back.
    func release() async throws {
        gate.signal()
        try await holder.value
    }
}

import ArtifactoryEvents
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode, through GRDB and Debian's libsqlite3.
public final class SQLiteEventStore: EventStore {
    /// How hard SQLite works to make a commit survive power loss.
    public enum Synchronous: String, Sendable, CaseIterable {
        /// Commits can be lost on power failure (not on a crash of the daemon).
        case normal = "NORMAL"
        /// Every commit is on disk before the daemon acknowledges (default).
        case full = "FULL"
        /// FULL plus a sync of the directory on every commit.
        case extra = "EXTRA"
    }

    /// Settings of the SQLite store.
    public struct Configuration: Sendable, Equatable {
        /// Path of the database file; its directory is created when missing.
        public var path: String
        /// `PRAGMA synchronous`; default `.full`.
        public var synchronous: Synchronous
        /// The most deliveries committed in one transaction under load; default 256.
        public var maxBatch: Int
        /// The size the write-ahead log is cut back to once checkpointed (`journal_size_limit`);
        /// default 64 MiB. Without it, the log kept the size of its largest burst (a large prune
        /// left a 512 MB file behind).
        public var walSizeLimit: Int
        /// Pages ``SQLiteEventStore/reclaimSpace()`` hands back per transaction: 8 MiB of 4 KiB
        /// pages (smaller in tests, to see several steps).
        var reclaimStepPages = 2048

        public init(path: String, synchronous: Synchronous = .full, maxBatch: Int = 256, walSizeLimit: Int = 64 << 20) {
            self.path = path
            self.synchronous = synchronous
            self.maxBatch = maxBatch
            self.walSizeLimit = walSizeLimit
        }
    }

    /// The settings this store was opened with.
    public let configuration: Configuration
    let pool: DatabasePool
    /// Deliveries, finished attempts and leases that arrive together share one transaction (and
    /// one fsync); see ``PendingWrite``.
    let writes: GroupCommitQueue<PendingWrite, WriteOutput, Database>

    /// One queued insert.
    struct PendingInsert: Sendable {
        let event: NewEvent
        let dedupWindow: Duration
        let plan: @Sendable (Int64, SelfCause?) -> EventPlan
    }

    /// Opens (creating when needed) the database file. Call ``migrate()`` before use.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        let directory = URL(fileURLWithPath: configuration.path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var grdb = GRDB.Configuration()
            let synchronous = configuration.synchronous.rawValue
            let walSizeLimit = configuration.walSizeLimit
            grdb.prepareDatabase { db in
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                // A group commit writes its batch in a savepoint (see `commit`), and a savepoint
                // keeps the pages it changes in a statement journal. In a temporary file, that
                // journal doubled the bytes written per event (measured: 55 KB, 23 KB in memory).
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            grdb.busyMode = .timeout(10)
            pool = try DatabasePool(path: configuration.path, configuration: grdb)
            // DatabasePool sets `synchronous = NORMAL` on its writer after `prepareDatabase` runs;
            // only the writer commits, so the configured level is applied to it here, once.
            try pool.barrierWriteWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
                try db.execute(sql: "PRAGMA journal_size_limit = \(walSizeLimit)")
                // Takes effect in a new file (before the first table): retention can then hand
                // freed pages back with `incremental_vacuum`. Older files are converted by migrate().
                // Only set when it is not already: setting it writes the file's header, so every
                // opener (`events list` too) would wait for the daemon's writer and fsync.
                if try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 {
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                }
            }
        } catch {
            throw StorageError(code: .openFailed, location: configuration.path, underlying: error)
        }
        let pool = self.pool
        let synchronous = configuration.synchronous
        writes = GroupCommitQueue(
            maxBatch: configuration.maxBatch,
            schedule: { step in pool.asyncWriteWithoutTransaction(step) },
            commit: { db, batch in Self.commit(batch, in: db, synchronous: synchronous) })
    }

    public func migrate() async throws {
        do {
            // A second opener (the CLI, `events list`) usually finds the schema current: checking
            // that is a read, which never waits for the daemon's writer. Only real work takes the
            // (synchronous, lock-waiting) migrator.
            let state = try await schemaState()
            try state.refuseNewer(at: configuration.path)
            if !state.pending.isEmpty { try Self.migrator.migrate(pool) }
            try await pool.barrierWriteWithoutTransaction { db in
                // A file created before auto_vacuum was set: one full VACUUM makes it incremental.
                if try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 {
                    try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                    try db.execute(sql: "VACUUM")
                }
            }
        } catch let error as StorageError where error.code == .schemaMismatch {
            throw error
        } catch {
            throw StorageError(code: .migrationFailed, location: configuration.path, underlying: error)
        }
    }

    public func schemaState() async throws -> SchemaState {
        do {
            let migrator = Self.migrator
            let applied = try await pool.read { db in try migrator.appliedIdentifiers(db) }
            return SchemaState(known: migrator.migrations, applied: applied)
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func schemaVersions() async throws -> [String] {
        do {
            let migrator = Self.migrator
            let applied = try await pool.read { db in try migrator.appliedIdentifiers(db) }
            return migrator.migrations.filter(applied.contains)
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func insert(
        _ event: NewEvent, dedupWindow: Duration, plan: @escaping @Sendable (Int64, SelfCause?) -> EventPlan
    ) async throws -> IngestResult {
        guard
            case .inserted(let result) = try await submit(
                .insert(PendingInsert(event: event, dedupWindow: dedupWindow, plan: plan)))
        else { preconditionFailure("an insert answers with its ingest result") }
        return result
    }

    public func events(matching query: EventQuery) async throws -> [StoredEvent] {
        do {
            return try await pool.read { db in try Self.fetchEvents(matching: query, in: db) }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func event(id: Int64) async throws -> StoredEvent? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]).map(Self.storedEvent)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func addPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> Int {
        do {
            return try await pool.write { db in
                if !plan.deferred {
                    try db.execute(
                        sql: "UPDATE events SET plan_deferred = 0 WHERE id = ? AND plan_deferred = 1",
                        arguments: [eventID])
                }
                var counts = JobCountChanges()
                let planned = try Self.write(
                    plan, eventID: eventID, origin: origin, now: Self.microseconds(Date()), counts: &counts, in: db)
                try counts.apply(in: db)
                return planned
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func jobs(forEvent eventID: Int64) async throws -> [StoredJob] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE event_id = ? ORDER BY id", arguments: [eventID])
                    .map(Self.storedJob)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func planFailures(forEvent eventID: Int64) async throws -> [PlanFailure] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM plan_failures WHERE event_id = ? ORDER BY id", arguments: [eventID]
                ).map { row in
                    PlanFailure(
                        rule: row["rule"], actionIndex: row["action_index"], kind: row["kind"], code: row["code"],
                        message: row["message"])
                }
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func checkWritable() async throws {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO store_health (id, checked_at) VALUES (1, ?)
                        ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at
                        """,
                    arguments: [Self.microseconds(Date())]
                )
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func close() async throws {
        try pool.close()
    }
}

extension SQLiteEventStore {
    /// Stores a delivery (deduplicated) and the jobs its plan gives; the jobs go into `counts`.
    static func insert(_ pending: PendingInsert, counts: inout JobCountChanges, in db: Database) throws
        -> IngestResult
    {
        let new = pending.event
        let dedupWindow = pending.dedupWindow
        let receivedAt = microseconds(new.receivedAt)
        let windowMicroseconds = microseconds(dedupWindow)
        let fingerprint = Data(new.fingerprint.bytes)
        var duplicateOf: Int64?
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT event_id, first_seen_at FROM fingerprints WHERE fingerprint = ?"),
            arguments: [fingerprint])
        {
            let firstSeen: Int64 = row["first_seen_at"]
            if receivedAt - firstSeen < windowMicroseconds { duplicateOf = row["event_id"] }
        }
        let subject = new.event.subject
        // A duplicate keeps no body: its original holds the same bytes (the fingerprint says so).
        // It is bound as NULL and written as an empty blob by the statement (an empty `Data` has no
        // bytes to point at, and SQLite binds a blob without an address as NULL).
        let body = duplicateOf == nil ? Data(new.body) : nil
        let selfCause = duplicateOf == nil ? try selfCause(of: new.event, at: receivedAt, in: db) : nil
        try db.cachedStatement(
            sql: """
                INSERT INTO events (received_at, endpoint, domain, event_type, subject, repo, path,
                    build_name, build_number, body, fingerprint, duplicate_of, source_address,
                    subscription_key, origin, source, hop, self_caused)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, X''), ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                receivedAt, new.endpoint, new.event.kind.domain.rawValue, new.event.kind.eventType, subject.key,
                subject.repo, subject.path, subject.buildName, subject.buildNumber, body, fingerprint,
                duplicateOf, new.sourceAddress, new.event.subscriptionKey, new.event.origin, new.event.source,
                selfCause?.hop ?? 0, selfCause != nil,
            ]
        )
        let eventID = db.lastInsertedRowID
        if duplicateOf == nil {
            try db.cachedStatement(
                sql: """
                    INSERT INTO fingerprints (fingerprint, event_id, first_seen_at) VALUES (?, ?, ?)
                    ON CONFLICT (fingerprint) DO UPDATE
                    SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
                    """
            ).execute(arguments: [fingerprint, eventID, receivedAt])
        }
        guard duplicateOf == nil else { return IngestResult(eventID: eventID, duplicateOf: duplicateOf, plan: .empty) }
        let plan = pending.plan(eventID, selfCause)
        try write(plan, eventID: eventID, origin: .ingest, now: receivedAt, counts: &counts, in: db)
        return IngestResult(eventID: eventID, duplicateOf: nil, plan: plan)
    }

    /// Writes a plan's jobs (due now, recorded in `counts`) and failures for `eventID`; returns the
    /// number of jobs.
    @discardableResult
    static func write(
        _ plan: EventPlan, eventID: Int64, origin: JobOrigin, now: Int64, counts: inout JobCountChanges,
        in db: Database
    ) throws -> Int {
        if plan.deferred {
            try db.cachedStatement(sql: "UPDATE events SET plan_deferred = 1 WHERE id = ?").execute(arguments: [eventID]
            )
            return 0
        }
        for job in plan.jobs {
            try db.cachedStatement(
                sql: """
                    INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at, due_at,
                        effects)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    eventID, job.rule, job.actionIndex, job.kind, job.subject, job.request, origin.rawValue, now, now,
                    ExpectedEffect.storedJSON(job.effects),
                ])
        }
        for failure in plan.failures {
            try db.cachedStatement(
                sql: """
                    INSERT INTO plan_failures (event_id, rule, action_index, kind, code, message, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    eventID, failure.rule, failure.actionIndex, failure.kind, failure.code, failure.message, now,
                ])
        }
        counts.add(.pending, count: plan.jobs.count)
        return plan.jobs.count
    }

    static func fetchEvents(matching query: EventQuery, in db: Database) throws -> [StoredEvent] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let kind = query.kind {
            let parts = kind.split(separator: ".", maxSplits: 1).map(String.init)
            clauses.append("domain = ?")
            arguments += [parts[0]]
            if parts.count == 2, parts[1] != "*" {
                clauses.append("event_type = ?")
                arguments += [parts[1]]
            }
        }
        if let repo = query.repo {
            clauses.append("repo = ?")
            arguments += [repo]
        }
        if let prefix = query.pathPrefix {
            // substr comparison instead of LIKE: paths may contain % and _.
            clauses.append("substr(path, 1, ?) = ?")
            arguments += [prefix.count, prefix]
        }
        if let build = query.buildName {
            clauses.append("build_name = ?")
            arguments += [build]
        }
        if let since = query.since {
            clauses.append("received_at >= ?")
            // The events received since then are a range of ids: bounding the newest-first scan by
            // the smallest of them (found on the received_at index) keeps it from walking every
            // older row when fewer than `limit` match (a full scan with a million events stored).
            clauses.append("id >= (SELECT min(id) FROM events INDEXED BY events_received_at WHERE received_at >= ?)")
            arguments += [microseconds(since), microseconds(since)]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [query.limit]
        return try Row.fetchAll(
            db, sql: "SELECT * FROM events \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments
        ).map(storedEvent)
    }

    static func storedJob(_ row: Row) -> StoredJob {
        StoredJob(
            id: row["id"], eventID: row["event_id"], rule: row["rule"], actionIndex: row["action_index"],
            kind: row["kind"], subject: row["subject"], request: row["request"],
            origin: JobOrigin(rawValue: row["origin"]) ?? .ingest,
            state: StoredJob.State(rawValue: row["state"]) ?? .pending,
            attemptCount: row["attempt_count"], createdAt: date(microseconds: row["created_at"]),
            dueAt: date(microseconds: row["due_at"]),
            finishedAt: (row["finished_at"] as Int64?).map { date(microseconds: $0) }, lastError: row["last_error"])
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        let body: Data = row["body"]
        let fingerprint: Data = row["fingerprint"]
        return StoredEvent(
            id: row["id"], receivedAt: date(microseconds: row["received_at"]), endpoint: row["endpoint"],
            domain: row["domain"], eventType: row["event_type"], subject: row["subject"], repo: row["repo"],
            path: row["path"], buildName: row["build_name"], buildNumber: row["build_number"], body: Array(body),
            fingerprint: Digest.hex(fingerprint), duplicateOf: row["duplicate_of"],
            sourceAddress: row["source_address"], subscriptionKey: row["subscription_key"], origin: row["origin"],
            source: row["source"], hop: row["hop"], selfCaused: row["self_caused"],
            planDeferred: row["plan_deferred"]
        )
    }
}

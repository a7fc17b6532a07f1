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
    /// Wall-clock time for what the store stamps itself: the loop guard's window at insert, leases
    /// handed back at shutdown, expired effects, the health check.
    let wallClock: @Sendable () -> Date
    /// The open database; another one only after ``restoreFile()`` put a removed file back.
    var pool: DatabasePool { pools.current }
    let pools: OpenPool
    /// Deliveries, finished attempts and leases that arrive together share one transaction (and
    /// one fsync); see ``PendingWrite``.
    let writes: GroupCommitQueue<PendingWrite, WriteOutput, Database>

    /// One queued insert.
    struct PendingInsert: Sendable {
        let event: NewEvent
        let dedupWindow: Duration
        let plan: @Sendable (Int64, SelfCause?) -> EventPlan
    }

    /// Opens (creating when needed) the database file. Call ``migrate()`` before use. `wallClock`
    /// is the time the store stamps by itself (the daemon passes its clock's).
    public init(configuration: Configuration, wallClock: @escaping @Sendable () -> Date = Date.init) throws {
        self.configuration = configuration
        self.wallClock = wallClock
        let pools = OpenPool(try Self.openPool(configuration))
        self.pools = pools
        let synchronous = configuration.synchronous
        writes = GroupCommitQueue(
            maxBatch: configuration.maxBatch,
            schedule: { step in pools.current.asyncWriteWithoutTransaction(step) },
            commit: { db, batch in Self.commit(batch, in: db, synchronous: synchronous) })
    }

    /// Opens (creating when needed) the database file with the store's settings. Every connection
    /// refuses to commit once the file at the path is not the one it opened (``StoreFileGuard``).
    static func openPool(_ configuration: Configuration) throws -> DatabasePool {
        let directory = URL(fileURLWithPath: configuration.path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var grdb = GRDB.Configuration()
            let synchronous = configuration.synchronous.rawValue
            let walSizeLimit = configuration.walSizeLimit
            let path = configuration.path
            grdb.prepareDatabase { db in
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                // A group commit writes its batch in a savepoint (see `commit`), and a savepoint
                // keeps the pages it changes in a statement journal; kept in memory, it does not
                // double the bytes written per event as a temporary file would.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                if let guarding = StoreFileGuard(path: path) {
                    db.add(transactionObserver: guarding, extent: .databaseLifetime)
                }
            }
            grdb.busyMode = .timeout(10)
            let pool = try DatabasePool(path: configuration.path, configuration: grdb)
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
            return pool
        } catch {
            throw StorageError(code: .openFailed, location: configuration.path, underlying: error)
        }
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

    public func commitPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> EventPlan {
        do {
            return try await pool.write { db in
                if !plan.deferred {
                    try db.execute(
                        sql: "UPDATE events SET plan_deferred = 0 WHERE id = ? AND plan_deferred = 1",
                        arguments: [eventID])
                }
                var counts = JobCountChanges()
                var committed = plan
                try Self.write(
                    &committed, eventID: eventID, origin: origin, now: Self.microseconds(wallClock()), counts: &counts,
                    in: db)
                try counts.apply(in: db)
                return committed
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
                    arguments: [Self.microseconds(wallClock())]
                )
            }
        } catch {
            if error is StoreFileGuard.Replaced { await restoreFile() }
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func close() async throws {
        try pool.close()
    }
}

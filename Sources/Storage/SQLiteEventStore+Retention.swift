public import Foundation
import GRDB

extension SQLiteEventStore {
    /// Events eligible for retention (`?1`: the cutoff): old enough, planned, with every job
    /// settled, and no duplicate of them staying (an original pruned before its duplicates made
    /// them look like originals: counted as such, and planned again by a replay).
    private static let settledEventsSQL = """
        SELECT id FROM events
        WHERE received_at < ?1 AND plan_deferred = 0
          AND NOT EXISTS (
              SELECT 1 FROM jobs
              WHERE jobs.event_id = events.id AND jobs.state NOT IN ('done', 'cancelled', 'shadow', 'skipped'))
          AND NOT EXISTS (SELECT 1 FROM events d WHERE d.duplicate_of = events.id AND d.received_at >= ?1)
        """

    public func deferredEvents(limit: Int) async throws -> [StoredEvent] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM events WHERE plan_deferred = 1 ORDER BY id LIMIT ?", arguments: [limit]
                ).map(Self.storedEvent)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func jobCounts() async throws -> [StoredJob.State: Int] {
        do {
            return try await pool.read { db in try Self.jobCounts(in: db) }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func status(since: Date) async throws -> StoreStatus {
        do {
            return try await pool.read { db in
                // The period's events through the time index: grouping by kind would otherwise
                // walk the kind index over the whole table.
                var byKind: [String: Int] = [:]
                var duplicates = 0
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT domain, event_type, duplicate_of IS NOT NULL AS duplicate, count(*) AS n
                        FROM events INDEXED BY events_received_at WHERE received_at >= ? GROUP BY 1, 2, 3
                        """,
                    arguments: [Self.microseconds(since)])
                for row in rows {
                    let count: Int = row["n"]
                    if row["duplicate"] as Bool {
                        duplicates += count
                    } else {
                        byKind["\(row["domain"] as String).\(row["event_type"] as String)", default: 0] += count
                    }
                }
                let oldest = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM jobs WHERE state IN ('pending', 'failed', 'running')
                        ORDER BY created_at, id LIMIT 1
                        """
                ).map(Self.storedJob)
                return StoreStatus(
                    eventsByKind: byKind, duplicates: duplicates, jobsByState: try Self.jobCounts(in: db),
                    oldestUnfinishedJob: oldest,
                    deferredEvents: try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE plan_deferred = 1")
                        ?? 0,
                    totalEvents: try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func pruneEvents(receivedBefore cutoff: Date, limit: Int) async throws -> PruneCount {
        do {
            return try await pool.write { db in
                let ids = try Int64.fetchAll(
                    db, sql: Self.settledEventsSQL + " ORDER BY received_at, id LIMIT ?",
                    arguments: [Self.microseconds(cutoff), limit])
                // Windows that have run out decide nothing any more; the next claim would take them.
                try db.execute(
                    sql: "DELETE FROM throttles WHERE expires_at <= ?", arguments: [Self.microseconds(wallClock())])
                guard !ids.isEmpty else { return PruneCount() }
                var idList = ids.map(String.init).joined(separator: ",")
                // An original goes with its duplicates (all of them old enough, or it would not be
                // settled): a duplicate stores no body, and one left behind a batch boundary would
                // lose its original's.
                let duplicates = try Int64.fetchAll(
                    db, sql: "SELECT id FROM events WHERE duplicate_of IN (\(idList)) AND id NOT IN (\(idList))")
                if !duplicates.isEmpty { idList += "," + duplicates.map(String.init).joined(separator: ",") }
                let count = PruneCount(
                    events: ids.count + duplicates.count,
                    jobs: try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE event_id IN (\(idList))") ?? 0,
                    attempts: try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM attempts
                            WHERE job_id IN (SELECT id FROM jobs WHERE event_id IN (\(idList)))
                            """) ?? 0)
                // Jobs, attempts, plan failures and fingerprints go by ON DELETE CASCADE.
                try db.execute(sql: "DELETE FROM events WHERE id IN (\(idList))")
                try db.execute(
                    sql: "DELETE FROM effects WHERE expires_at < ?", arguments: [Self.microseconds(wallClock())])
                return count
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func prunableEvents(receivedBefore cutoff: Date) async throws -> PruneCount {
        do {
            return try await pool.read { db in
                let settled = "(\(Self.settledEventsSQL))"
                let arguments: StatementArguments = [Self.microseconds(cutoff)]
                return PruneCount(
                    events: try Int.fetchOne(db, sql: "SELECT count(*) FROM \(settled)", arguments: arguments) ?? 0,
                    jobs: try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM jobs WHERE event_id IN \(settled)", arguments: arguments) ?? 0,
                    attempts: try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM attempts
                            WHERE job_id IN (SELECT id FROM jobs WHERE event_id IN \(settled))
                            """, arguments: arguments) ?? 0)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    /// Hands free pages back to the file system in steps of `reclaimStepPages` pages, each its own
    /// transaction, so deliveries commit between them: one `incremental_vacuum` of a large prune
    /// held the writer for seconds, and a delivery waiting past the busy timeout got a 503.
    public func reclaimSpace() async throws -> Int {
        do {
            let step = configuration.reclaimStepPages
            var reclaimed = 0
            while true {
                let (pages, pageSize) = try await pool.writeWithoutTransaction { db in
                    let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                    let before = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                    try db.execute(sql: "PRAGMA incremental_vacuum(\(step))")
                    let after = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                    return (before - after, pageSize)
                }
                reclaimed += pages * pageSize
                if pages < step { return reclaimed }
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    static func jobCounts(in db: Database) throws -> [StoredJob.State: Int] {
        var counts: [StoredJob.State: Int] = [:]
        // Kept by the writes (and a delete trigger; migration v7), so reading is cheap however many
        // jobs there are.
        for row in try Row.fetchAll(db, sql: "SELECT state, n FROM job_counts WHERE n > 0") {
            if let state = StoredJob.State(rawValue: row["state"]) { counts[state] = row["n"] }
        }
        return counts
    }
}

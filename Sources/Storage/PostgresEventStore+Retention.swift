public import Foundation
import Logging
import PostgresNIO

extension PostgresEventStore {
    /// Events eligible for retention (`$1`: the cutoff): old enough, planned, with every job
    /// settled, and no duplicate of them staying (see SQLite's twin of this query).
    private static let settledEventsSQL = """
        SELECT id FROM events
        WHERE received_at < $1 AND NOT plan_deferred
          AND NOT EXISTS (
              SELECT 1 FROM jobs
              WHERE jobs.event_id = events.id AND jobs.state NOT IN ('done', 'cancelled', 'shadow', 'skipped'))
          AND NOT EXISTS (SELECT 1 FROM events d WHERE d.duplicate_of = events.id AND d.received_at >= $1)
        """

    public func deferredEvents(limit: Int) async throws -> [StoredEvent] {
        try await read { [logger] connection in
            try await connection.rows(
                "SELECT * FROM events WHERE plan_deferred ORDER BY id LIMIT \(limit)", logger: logger
            ).collect().map(Self.storedEvent)
        }
    }

    public func jobCounts() async throws -> [StoredJob.State: Int] {
        try await read { [logger] connection in try await Self.jobCounts(on: connection, logger: logger) }
    }

    public func status(since: Date) async throws -> StoreStatus {
        try await read { [logger] connection in
            var byKind: [String: Int] = [:]
            var duplicates = 0
            let rows = try await connection.rows(
                """
                SELECT domain, event_type, duplicate_of IS NOT NULL, count(*) FROM events
                WHERE received_at >= \(Self.microseconds(since)) GROUP BY 1, 2, 3
                """, logger: logger
            ).decode((String, String, Bool, Int).self).array()
            for (domain, eventType, duplicate, count) in rows {
                if duplicate {
                    duplicates += count
                } else {
                    byKind["\(domain).\(eventType)", default: 0] += count
                }
            }
            let oldest = try await connection.rows(
                """
                SELECT * FROM jobs WHERE state IN ('pending', 'failed', 'running')
                ORDER BY created_at, id LIMIT 1
                """, logger: logger
            ).collect().first.map(Self.storedJob)
            let (deferred, total) =
                try await connection.rows(
                    "SELECT count(*) FILTER (WHERE plan_deferred), count(*) FROM events", logger: logger
                ).decode((Int, Int).self).array().first ?? (0, 0)
            return StoreStatus(
                eventsByKind: byKind, duplicates: duplicates,
                jobsByState: try await Self.jobCounts(on: connection, logger: logger), oldestUnfinishedJob: oldest,
                deferredEvents: deferred, totalEvents: total)
        }
    }

    /// Several daemons may prune at once: `FOR UPDATE SKIP LOCKED` gives each its own events.
    public func pruneEvents(receivedBefore cutoff: Date, limit: Int) async throws -> PruneCount {
        do {
            return try await boundedTransaction { [logger] connection in
                let binds = Self.binds(Self.microseconds(cutoff), Int64(limit))
                var ids = try await connection.rows(
                    PostgresQuery(
                        unsafeSQL: Self.settledEventsSQL + " ORDER BY received_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
                        binds: binds), logger: logger
                ).decode(Int64.self).array()
                // Windows that have run out decide nothing any more; the next claim would take them.
                try await connection.rows(
                    "DELETE FROM throttles WHERE expires_at <= \(Self.microseconds(self.wallClock()))", logger: logger)
                guard !ids.isEmpty else { return PruneCount() }
                // An original goes with its duplicates (all of them old enough, or it would not be
                // settled): a duplicate stores no body, and one left behind a batch boundary would
                // lose its original's.
                let originals = ids
                ids += try await connection.rows(
                    """
                    SELECT id FROM events WHERE duplicate_of = ANY(\(originals)::bigint[])
                        AND NOT id = ANY(\(originals)::bigint[])
                    FOR UPDATE SKIP LOCKED
                    """, logger: logger
                ).decode(Int64.self).array()
                let (jobs, attempts) =
                    try await connection.rows(
                        """
                        SELECT (SELECT count(*) FROM jobs WHERE event_id = ANY(\(ids)::bigint[])),
                            (SELECT count(*) FROM attempts a JOIN jobs j ON j.id = a.job_id
                             WHERE j.event_id = ANY(\(ids)::bigint[]))
                        """, logger: logger
                    ).decode((Int, Int).self).array().first ?? (0, 0)
                // Jobs, attempts, plan failures and fingerprints go by ON DELETE CASCADE.
                try await connection.rows("DELETE FROM events WHERE id = ANY(\(ids)::bigint[])", logger: logger)
                try await connection.rows(
                    "DELETE FROM effects WHERE expires_at < \(Self.microseconds(self.wallClock()))", logger: logger)
                return PruneCount(events: ids.count, jobs: jobs, attempts: attempts)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func prunableEvents(receivedBefore cutoff: Date) async throws -> PruneCount {
        try await read { [logger] connection in
            var binds = PostgresBindings()
            binds.append(Self.microseconds(cutoff))
            let settled = "(\(Self.settledEventsSQL))"
            let row =
                try await connection.rows(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT (SELECT count(*) FROM \(settled) s),
                                (SELECT count(*) FROM jobs WHERE event_id IN \(settled)),
                                (SELECT count(*) FROM attempts
                                 WHERE job_id IN (SELECT id FROM jobs WHERE event_id IN \(settled)))
                            """, binds: binds), logger: logger
                ).decode((Int, Int, Int).self).array().first ?? (0, 0, 0)
            return PruneCount(events: row.0, jobs: row.1, attempts: row.2)
        }
    }

    /// PostgreSQL's autovacuum makes deleted rows' space reusable by itself; nothing to do, and the
    /// bytes given back to the file system are not known: 0.
    public func reclaimSpace() async throws -> Int { 0 }

    static func jobCounts(on connection: PostgresConnection, logger: Logger) async throws -> [StoredJob.State: Int] {
        var counts: [StoredJob.State: Int] = [:]
        for (state, count) in try await connection.rows(
            "SELECT state, count(*) FROM jobs GROUP BY state", logger: logger
        ).decode((String, Int).self).array() {
            if let state = StoredJob.State(rawValue: state) { counts[state] = count }
        }
        return counts
    }
}

public import Foundation
import GRDB

/// ``ActivityLog`` in SQLite: each count is one grouped read over the time index of its table.
extension SQLiteEventStore {
    public func eventActivity(since: Date, bucket: Duration) async throws -> [EventActivity] {
        let width = max(1, Self.microseconds(bucket))
        return try await activityRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT received_at / ? AS b,
                        sum(duplicate_of IS NULL AND self_caused = 0) AS stored,
                        sum(duplicate_of IS NOT NULL) AS duplicates,
                        sum(duplicate_of IS NULL AND self_caused = 1) AS self_caused
                    FROM events INDEXED BY events_received_at WHERE received_at >= ?
                    GROUP BY b ORDER BY b
                    """, arguments: [width, Self.microseconds(since)]
            ).map { row in
                EventActivity(
                    start: Self.date(microseconds: (row["b"] as Int64) * width), stored: row["stored"],
                    duplicates: row["duplicates"], selfCaused: row["self_caused"])
            }
        }
    }

    public func attemptActivity(since: Date, bucket: Duration) async throws -> [AttemptActivity] {
        let width = max(1, Self.microseconds(bucket))
        return try await activityRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT started_at / ? AS b, sum(outcome = 'success') AS done, sum(outcome = 'retry') AS retried,
                        sum(outcome = 'dead') AS dead, sum(outcome = 'skipped') AS skipped
                    FROM attempts INDEXED BY attempts_started WHERE started_at >= ?
                    GROUP BY b ORDER BY b
                    """, arguments: [width, Self.microseconds(since)]
            ).map { row in
                AttemptActivity(
                    start: Self.date(microseconds: (row["b"] as Int64) * width), done: row["done"],
                    retried: row["retried"], dead: row["dead"], skipped: row["skipped"])
            }
        }
    }

    public func ruleActivity(since: Date) async throws -> [RuleActivity] {
        try await activityRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, count(DISTINCT event_id) AS events, count(*) AS jobs,
                        sum(state = 'done') AS done, sum(state = 'dead') AS dead
                    FROM jobs INDEXED BY jobs_created WHERE created_at >= ?
                    GROUP BY rule ORDER BY rule
                    """, arguments: [Self.microseconds(since)]
            ).map { row in
                RuleActivity(
                    rule: row["rule"], events: row["events"], jobs: row["jobs"], done: row["done"], dead: row["dead"])
            }
        }
    }

    public func catchUpCheckpoints() async throws -> [CatchUpCheckpoint] {
        try await activityRead { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT subscription, checkpoint, lease_owner, lease_expires_at FROM catch_up_checkpoints
                    ORDER BY subscription
                    """
            ).map { row in
                CatchUpCheckpoint(
                    subscription: row["subscription"], checkpoint: row["checkpoint"], leaseOwner: row["lease_owner"],
                    leaseExpiresAt: (row["lease_expires_at"] as Int64?).map(Self.date(microseconds:)))
            }
        }
    }

    private func activityRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    /// Migration v16: the indexes the status page's charts and rules table read the last 24 hours
    /// of attempts and jobs through.
    static func addActivityIndexes(in db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX attempts_started ON attempts (started_at, outcome);
                CREATE INDEX jobs_created ON jobs (created_at, rule, state, event_id);
                """)
    }
}

public import Foundation
import PostgresNIO

/// ``ActivityLog`` in PostgreSQL: the same grouped reads as SQLite's, so every daemon on the
/// database shows the same numbers.
extension PostgresEventStore {
    public func eventActivity(since: Date, bucket: Duration) async throws -> [EventActivity] {
        let width = max(1, Self.microseconds(bucket))
        return try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT received_at / \(width) AS b,
                    count(*) FILTER (WHERE duplicate_of IS NULL AND NOT self_caused),
                    count(*) FILTER (WHERE duplicate_of IS NOT NULL),
                    count(*) FILTER (WHERE duplicate_of IS NULL AND self_caused)
                FROM events WHERE received_at >= \(Self.microseconds(since))
                GROUP BY b ORDER BY b
                """, logger: logger
            ).decode((Int64, Int, Int, Int).self).array().map { row in
                EventActivity(
                    start: Self.date(microseconds: row.0 * width), stored: row.1, duplicates: row.2, selfCaused: row.3)
            }
        }
    }

    public func attemptActivity(since: Date, bucket: Duration) async throws -> [AttemptActivity] {
        let width = max(1, Self.microseconds(bucket))
        return try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT started_at / \(width) AS b, count(*) FILTER (WHERE outcome = 'success'),
                    count(*) FILTER (WHERE outcome = 'retry'), count(*) FILTER (WHERE outcome = 'dead'),
                    count(*) FILTER (WHERE outcome = 'skipped')
                FROM attempts WHERE started_at >= \(Self.microseconds(since))
                GROUP BY b ORDER BY b
                """, logger: logger
            ).decode((Int64, Int, Int, Int, Int).self).array().map { row in
                AttemptActivity(
                    start: Self.date(microseconds: row.0 * width), done: row.1, retried: row.2, dead: row.3,
                    skipped: row.4)
            }
        }
    }

    public func ruleActivity(since: Date) async throws -> [RuleActivity] {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT rule, count(DISTINCT event_id), count(*), count(*) FILTER (WHERE state = 'done'),
                    count(*) FILTER (WHERE state = 'dead')
                FROM jobs WHERE created_at >= \(Self.microseconds(since))
                GROUP BY rule ORDER BY rule
                """, logger: logger
            ).decode((String, Int, Int, Int, Int).self).array().map { row in
                RuleActivity(rule: row.0, events: row.1, jobs: row.2, done: row.3, dead: row.4)
            }
        }
    }

    public func catchUpCheckpoints() async throws -> [CatchUpCheckpoint] {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT subscription, checkpoint, lease_owner, lease_expires_at FROM catch_up_checkpoints
                ORDER BY subscription
                """, logger: logger
            ).decode((String, Int64?, String?, Int64?).self).array().map { row in
                CatchUpCheckpoint(
                    subscription: row.0, checkpoint: row.1, leaseOwner: row.2,
                    leaseExpiresAt: row.3.map(Self.date(microseconds:)))
            }
        }
    }
}

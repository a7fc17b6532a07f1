public import Foundation
import PostgresNIO

extension PostgresEventStore {
    /// v14, as in SQLite's: the events' `arrival` and catch-up's checkpoints.
    static let catchUpMigration = Migration(
        identifier: "v14-catch-up",
        statements: [
            """
            ALTER TABLE events ADD COLUMN arrival TEXT NOT NULL DEFAULT 'delivery'
                CHECK (arrival IN ('delivery', 'catch-up'))
            """,
            """
            CREATE TABLE catch_up_checkpoints (
                subscription TEXT PRIMARY KEY CHECK (length(subscription) > 0),
                checkpoint BIGINT,
                lease_owner TEXT,
                lease_expires_at BIGINT,
                CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
            )
            """,
        ])

    /// One upsert decides the lease: of two daemons claiming at once, the second waits on the row
    /// and then finds it held.
    public func claimCatchUp(subscription: String, owner: String, now: Date, until: Date) async throws
        -> CatchUpLease
    {
        do {
            return try await boundedTransaction { [logger] connection in
                let rows = try await connection.rows(
                    """
                    INSERT INTO catch_up_checkpoints AS c (subscription, lease_owner, lease_expires_at)
                    VALUES (\(subscription), \(owner), \(Self.microseconds(until)))
                    ON CONFLICT (subscription) DO UPDATE
                    SET lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at
                    WHERE c.lease_owner IS NULL OR c.lease_owner = excluded.lease_owner
                        OR c.lease_expires_at <= \(Self.microseconds(now))
                    RETURNING checkpoint
                    """, logger: logger
                ).decode(Int64?.self).array()
                guard let first = rows.first else { return CatchUpLease.held }
                return .taken(checkpoint: first)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func advanceCatchUp(subscription: String, owner: String, checkpoint: Int64, until: Date) async throws
        -> Bool
    {
        do {
            return try await boundedTransaction { [logger] connection in
                let rows = try await connection.rows(
                    """
                    UPDATE catch_up_checkpoints SET checkpoint = \(checkpoint),
                        lease_expires_at = \(Self.microseconds(until))
                    WHERE subscription = \(subscription) AND lease_owner = \(owner)
                    RETURNING subscription
                    """, logger: logger
                ).collect()
                return rows.count == 1
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func releaseCatchUp(subscription: String, owner: String) async throws {
        do {
            _ = try await boundedTransaction { [logger] connection in
                try await connection.rows(
                    """
                    UPDATE catch_up_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
                    WHERE subscription = \(subscription) AND lease_owner = \(owner)
                    """, logger: logger)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }
}

public import Foundation
import GRDB

extension SQLiteEventStore {
    /// v14: the events' `arrival` and catch-up's checkpoints.
    static func addCatchUp(in db: Database) throws {
        try db.execute(
            sql: """
                -- How the event arrived: 'delivery' (a webhook POST) or 'catch-up' (read from
                -- Artifactory's webhook troubleshooting store). Every earlier event was delivered.
                ALTER TABLE events ADD COLUMN arrival TEXT NOT NULL DEFAULT 'delivery'
                    CHECK (arrival IN ('delivery', 'catch-up'));
                -- Per subscription: every troubleshooting record before `checkpoint` (Unix ms) is
                -- stored; NULL before the first run. The lease lets one daemon at a time read.
                CREATE TABLE catch_up_checkpoints (
                    subscription TEXT PRIMARY KEY CHECK (length(subscription) > 0),
                    checkpoint INTEGER,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
                ) WITHOUT ROWID;
                """)
    }

    public func claimCatchUp(subscription: String, owner: String, now: Date, until: Date) async throws
        -> CatchUpLease
    {
        do {
            return try await pool.write { db in
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        INSERT INTO catch_up_checkpoints AS c (subscription, lease_owner, lease_expires_at)
                        VALUES (?, ?, ?)
                        ON CONFLICT (subscription) DO UPDATE
                        SET lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at
                        WHERE c.lease_owner IS NULL OR c.lease_owner = excluded.lease_owner
                            OR c.lease_expires_at <= ?
                        RETURNING checkpoint
                        """,
                    arguments: [subscription, owner, Self.microseconds(until), Self.microseconds(now)])
                guard let row else { return .held }
                return .taken(checkpoint: row["checkpoint"])
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func advanceCatchUp(subscription: String, owner: String, checkpoint: Int64, until: Date) async throws
        -> Bool
    {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE catch_up_checkpoints SET checkpoint = ?, lease_expires_at = ?
                        WHERE subscription = ? AND lease_owner = ?
                        """,
                    arguments: [checkpoint, Self.microseconds(until), subscription, owner])
                return db.changesCount == 1
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func releaseCatchUp(subscription: String, owner: String) async throws {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE catch_up_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
                        WHERE subscription = ? AND lease_owner = ?
                        """,
                    arguments: [subscription, owner])
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }
}

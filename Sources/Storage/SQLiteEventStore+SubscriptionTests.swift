public import Foundation
import GRDB

extension SQLiteEventStore {
    /// v15: the test events `subscriptions test` waits for.
    static func addSubscriptionTests(in db: Database) throws {
        try db.execute(
            sql: """
                -- One row per `subscriptions test` run, created by the command, marked by the daemon
                -- that receives the test event; never an event.
                CREATE TABLE subscription_tests (
                    id TEXT PRIMARY KEY CHECK (length(id) > 0),
                    subscription TEXT NOT NULL,
                    endpoint TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    arrived_at INTEGER,
                    verified INTEGER,
                    event_type TEXT
                ) WITHOUT ROWID;
                """)
    }

    public func beginSubscriptionTest(id: String, subscription: String, endpoint: String, now: Date, expires: Date)
        async throws
    {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "DELETE FROM subscription_tests WHERE expires_at <= ?", arguments: [Self.microseconds(now)])
                try db.execute(
                    sql: """
                        INSERT INTO subscription_tests (id, subscription, endpoint, expires_at) VALUES (?, ?, ?, ?)
                        """,
                    arguments: [id, subscription, endpoint, Self.microseconds(expires)])
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func subscriptionTest(id: String) async throws -> SubscriptionTest? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM subscription_tests WHERE id = ?", arguments: [id]).map {
                    row in
                    SubscriptionTest(
                        id: row["id"], subscription: row["subscription"], endpoint: row["endpoint"],
                        expiresAt: Self.date(microseconds: row["expires_at"]),
                        arrivedAt: (row["arrived_at"] as Int64?).map { Self.date(microseconds: $0) },
                        verified: row["verified"], eventType: row["event_type"])
                }
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func recordSubscriptionTest(id: String, endpoint: String, verified: Bool, eventType: String, at: Date)
        async throws -> Bool
    {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE subscription_tests SET arrived_at = ?, verified = ?, event_type = ?
                        WHERE id = ? AND endpoint = ? AND expires_at > ?
                        """,
                    arguments: [Self.microseconds(at), verified, eventType, id, endpoint, Self.microseconds(at)])
                return db.changesCount == 1
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func endSubscriptionTest(id: String) async throws {
        do {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM subscription_tests WHERE id = ?", arguments: [id])
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }
}

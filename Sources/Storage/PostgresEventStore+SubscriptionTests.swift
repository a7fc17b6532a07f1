public import Foundation
import PostgresNIO

extension PostgresEventStore {
    /// v15, as in SQLite's: the test events `subscriptions test` waits for.
    static let subscriptionTestsMigration = Migration(
        identifier: "v15-subscription-tests",
        statements: [
            """
            CREATE TABLE subscription_tests (
                id TEXT PRIMARY KEY CHECK (length(id) > 0),
                subscription TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                expires_at BIGINT NOT NULL,
                arrived_at BIGINT,
                verified BOOLEAN,
                event_type TEXT
            )
            """
        ])

    public func beginSubscriptionTest(id: String, subscription: String, endpoint: String, now: Date, expires: Date)
        async throws
    {
        do {
            _ = try await boundedTransaction { [logger] connection in
                try await connection.rows(
                    "DELETE FROM subscription_tests WHERE expires_at <= \(Self.microseconds(now))", logger: logger)
                try await connection.rows(
                    """
                    INSERT INTO subscription_tests (id, subscription, endpoint, expires_at)
                    VALUES (\(id), \(subscription), \(endpoint), \(Self.microseconds(expires)))
                    """, logger: logger)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func subscriptionTest(id: String) async throws -> SubscriptionTest? {
        try await read { [logger] connection in
            let rows = try await connection.rows(
                """
                SELECT subscription, endpoint, expires_at, arrived_at, verified, event_type
                FROM subscription_tests WHERE id = \(id)
                """, logger: logger
            ).decode((String, String, Int64, Int64?, Bool?, String?).self).array()
            return rows.first.map { row in
                SubscriptionTest(
                    id: id, subscription: row.0, endpoint: row.1, expiresAt: Self.date(microseconds: row.2),
                    arrivedAt: row.3.map { Self.date(microseconds: $0) }, verified: row.4, eventType: row.5)
            }
        }
    }

    public func recordSubscriptionTest(id: String, endpoint: String, verified: Bool, eventType: String, at: Date)
        async throws -> Bool
    {
        do {
            return try await boundedTransaction { [logger] connection in
                let rows = try await connection.rows(
                    """
                    UPDATE subscription_tests SET arrived_at = \(Self.microseconds(at)), verified = \(verified),
                        event_type = \(eventType)
                    WHERE id = \(id) AND endpoint = \(endpoint) AND expires_at > \(Self.microseconds(at))
                    RETURNING id
                    """, logger: logger
                ).collect()
                return rows.count == 1
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func endSubscriptionTest(id: String) async throws {
        do {
            _ = try await boundedTransaction { [logger] connection in
                try await connection.rows("DELETE FROM subscription_tests WHERE id = \(id)", logger: logger)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }
}

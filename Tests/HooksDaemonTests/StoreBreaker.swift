import Foundation
import GRDB

/// Makes a daemon's SQLite file refuse writes from outside, as a full or read-only disk would, and
/// undoes it: triggers that abort every insert and update of events and of the health row, or
/// only the insert of one path's events; or holds its write lock from another connection.
struct StoreBreaker {
    let path: String

    /// From now on, writes to events and the health check fail with "disk full".
    func refuseWrites() async throws {
        try await execute(
            """
            CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END;
            CREATE TRIGGER refuse_health BEFORE UPDATE ON store_health BEGIN SELECT RAISE(ABORT, 'disk full'); END;
            CREATE TRIGGER refuse_health_insert BEFORE INSERT ON store_health BEGIN SELECT RAISE(ABORT, 'disk full'); END;
            """)
    }

    /// From now on, recording an action that could not be planned fails.
    func refusePlanFailures() async throws {
        try await execute(
            "CREATE TRIGGER refuse_plan_failures BEFORE INSERT ON plan_failures BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    }

    /// Removes what ``refuseWrites()``, ``refuseEvents(atPath:)`` and ``refusePlanFailures()`` added.
    func acceptWrites() async throws {
        try await execute(
            """
            DROP TRIGGER IF EXISTS refuse_events;
            DROP TRIGGER IF EXISTS refuse_health;
            DROP TRIGGER IF EXISTS refuse_health_insert;
            DROP TRIGGER IF EXISTS refuse_path;
            DROP TRIGGER IF EXISTS refuse_plan_failures;
            """)
    }

    /// From now on, storing an event about `path` fails (other events are stored).
    func refuseEvents(atPath path: String) async throws {
        // A trigger takes no bound parameters: the path is written as an SQL string literal.
        let literal = "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
        try await execute(
            """
            CREATE TRIGGER refuse_path BEFORE INSERT ON events WHEN NEW.path = \(literal)
            BEGIN SELECT RAISE(ABORT, 'refused by test'); END
            """)
    }

    /// Takes the database's write lock from another connection, as `BEGIN IMMEDIATE` does, until
    /// ``HeldLock/release()``: the daemon's writes wait for it (up to its busy timeout).
    func holdWriteLock() async throws -> HeldLock {
        var configuration = Self.configuration
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        return HeldLock(queue: queue)
    }

    /// The write lock ``holdWriteLock()`` took.
    struct HeldLock {
        let queue: DatabaseQueue

        /// Ends the transaction that holds the lock, writing nothing, and closes the connection.
        func release() async throws {
            try await queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try queue.close()
        }
    }

    /// Waits for the daemon's writer (a batch, a lease) instead of failing at once.
    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }

    private func execute(_ sql: String) async throws {
        let queue = try DatabaseQueue(path: path, configuration: Self.configuration)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}

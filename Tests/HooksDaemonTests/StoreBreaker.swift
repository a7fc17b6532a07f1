import GRDB

/// Makes a daemon's SQLite file refuse writes from outside, as a full or read-only disk would, and
/// undoes it: triggers that abort every insert and update of events and of the health row.
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

    /// Removes what ``refuseWrites()`` added.
    func acceptWrites() async throws {
        try await execute(
            """
            DROP TRIGGER IF EXISTS refuse_events;
            DROP TRIGGER IF EXISTS refuse_health;
            DROP TRIGGER IF EXISTS refuse_health_insert;
            """)
    }

    private func execute(_ sql: String) async throws {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}

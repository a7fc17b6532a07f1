import GRDB

extension SQLiteEventStore {
    /// The schema's history. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        received_at INTEGER NOT NULL,              -- microseconds since 1970, UTC
                        endpoint TEXT NOT NULL CHECK (length(endpoint) > 0),
                        domain TEXT NOT NULL,
                        event_type TEXT NOT NULL CHECK (length(event_type) > 0),
                        subject TEXT NOT NULL,                     -- '' when the event has none
                        repo TEXT,
                        path TEXT,
                        build_name TEXT,
                        build_number TEXT,
                        body BLOB NOT NULL,                        -- verbatim as received
                        fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
                        duplicate_of INTEGER REFERENCES events (id) ON DELETE SET NULL,
                        source_address TEXT,
                        subscription_key TEXT,
                        origin TEXT,
                        source TEXT
                    );
                    CREATE INDEX events_received_at ON events (received_at);
                    CREATE INDEX events_kind ON events (domain, event_type, id);
                    CREATE INDEX events_repo_path ON events (repo, path);
                    CREATE INDEX events_build ON events (build_name, build_number);
                    CREATE INDEX events_subject ON events (subject, id);

                    -- One row per distinct delivery: dedup holds by a unique key, not a scan.
                    CREATE TABLE fingerprints (
                        fingerprint BLOB PRIMARY KEY CHECK (length(fingerprint) = 32),
                        event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                        first_seen_at INTEGER NOT NULL
                    ) WITHOUT ROWID;

                    -- Written by the readiness probe to prove the file takes writes.
                    CREATE TABLE store_health (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        checked_at INTEGER NOT NULL
                    );
                    """
            )
        }
        return migrator
    }
}

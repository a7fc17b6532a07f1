import GRDB

extension SQLiteEventStore {
    /// v11: a job whose guard (`require:`) did not hold finishes in state `skipped`, its attempt
    /// with outcome `skipped`. SQLite cannot change a CHECK constraint, so both tables are rebuilt
    /// as v9 rebuilt `jobs` (new table, copy, drop, rename; foreign keys are off while a migration
    /// runs), with their indexes, the delete trigger and the AUTOINCREMENT sequences.
    static func addSkippedState(in db: Database) throws {
        let sequences = try savedSequences(of: ["jobs", "attempts"], in: db)
        try db.execute(
            sql: """
                CREATE TABLE jobs_v11 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                    rule TEXT NOT NULL CHECK (length(rule) > 0),
                    action_index INTEGER NOT NULL CHECK (action_index >= 0),
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    request TEXT NOT NULL,
                    origin TEXT NOT NULL CHECK (origin IN ('ingest', 'replay')),
                    state TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'running', 'failed', 'done', 'dead', 'cancelled', 'shadow',
                            'skipped')),
                    attempt_count INTEGER NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
                    created_at INTEGER NOT NULL,
                    due_at INTEGER NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    finished_at INTEGER,
                    last_error TEXT,
                    effects TEXT NOT NULL DEFAULT '[]',
                    parent_job_id INTEGER REFERENCES jobs (id) ON DELETE CASCADE,
                    expansion_key TEXT,
                    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
                    -- A shadow job is never attempted.
                    CHECK (state <> 'shadow' OR attempt_count = 0)
                );
                INSERT INTO jobs_v11 (id, event_id, rule, action_index, kind, subject, request, origin, state,
                    attempt_count, created_at, due_at, lease_owner, lease_expires_at, finished_at, last_error, effects,
                    parent_job_id, expansion_key)
                SELECT id, event_id, rule, action_index, kind, subject, request, origin, state,
                    attempt_count, created_at, due_at, lease_owner, lease_expires_at, finished_at, last_error, effects,
                    parent_job_id, expansion_key
                FROM jobs;
                DROP TABLE jobs;
                ALTER TABLE jobs_v11 RENAME TO jobs;
                CREATE INDEX jobs_due ON jobs (state, due_at);
                CREATE INDEX jobs_subject ON jobs (subject, id);
                CREATE INDEX jobs_event ON jobs (event_id, id);
                CREATE INDEX jobs_waiting ON jobs (due_at, id) WHERE state IN ('pending', 'failed');
                CREATE UNIQUE INDEX jobs_expansion_child ON jobs (parent_job_id, expansion_key);
                CREATE TRIGGER jobs_counted_delete AFTER DELETE ON jobs BEGIN
                    UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
                END;

                CREATE TABLE attempts_v11 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    started_at INTEGER NOT NULL,
                    duration_us INTEGER NOT NULL CHECK (duration_us >= 0),
                    http_status INTEGER,
                    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'retry', 'dead', 'skipped')),
                    message TEXT
                );
                INSERT INTO attempts_v11 (id, job_id, started_at, duration_us, http_status, outcome, message)
                SELECT id, job_id, started_at, duration_us, http_status, outcome, message FROM attempts;
                DROP TABLE attempts;
                ALTER TABLE attempts_v11 RENAME TO attempts;
                CREATE INDEX attempts_job ON attempts (job_id, id);
                """)
        try restore(sequences, in: db)
    }
}

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
        migrator.registerMigration("v2-jobs") { db in
            try db.execute(
                sql: """
                    -- One row per planned Artifactory call. The lease columns are set while a worker
                    -- runs it; an expired lease makes the job due again (at-least-once).
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                        rule TEXT NOT NULL CHECK (length(rule) > 0),
                        action_index INTEGER NOT NULL CHECK (action_index >= 0),
                        kind TEXT NOT NULL,
                        subject TEXT NOT NULL,                 -- ordering key of the target
                        request TEXT NOT NULL,                 -- the planned call, JSON
                        origin TEXT NOT NULL CHECK (origin IN ('ingest', 'replay')),
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'failed', 'done', 'dead', 'cancelled')),
                        attempt_count INTEGER NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
                        created_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        lease_owner TEXT,
                        lease_expires_at INTEGER,
                        finished_at INTEGER,
                        last_error TEXT,
                        effects TEXT NOT NULL DEFAULT '[]',    -- events this call will cause, JSON
                        CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
                    );
                    CREATE INDEX jobs_due ON jobs (state, due_at);
                    CREATE INDEX jobs_subject ON jobs (subject, id);
                    CREATE INDEX jobs_event ON jobs (event_id, id);

                    -- Every attempt at a job: what Artifactory answered and how long it took.
                    CREATE TABLE attempts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                        started_at INTEGER NOT NULL,
                        duration_us INTEGER NOT NULL CHECK (duration_us >= 0),
                        http_status INTEGER,
                        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'retry', 'dead')),
                        message TEXT
                    );
                    CREATE INDEX attempts_job ON attempts (job_id, id);

                    -- Actions the rules could not plan for an event, and why.
                    CREATE TABLE plan_failures (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                        rule TEXT NOT NULL,
                        action_index INTEGER NOT NULL CHECK (action_index >= 0),
                        kind TEXT NOT NULL,
                        code TEXT NOT NULL,
                        message TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX plan_failures_event ON plan_failures (event_id);

                    -- Loop guard: how far an event is from an outside one, and whether our own action
                    -- caused it.
                    ALTER TABLE events ADD COLUMN hop INTEGER NOT NULL DEFAULT 0 CHECK (hop >= 0);
                    ALTER TABLE events ADD COLUMN self_caused INTEGER NOT NULL DEFAULT 0
                        CHECK (self_caused IN (0, 1));

                    -- Events our running jobs are expected to cause, for a short window.
                    CREATE TABLE effects (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        subject TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT,                            -- property key, for property events
                        hop INTEGER NOT NULL CHECK (hop >= 1),
                        job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX effects_lookup ON effects (subject, kind, expires_at);
                    """
            )
        }
        migrator.registerMigration("v3-retention") { db in
            try db.execute(
                sql: """
                    -- Backpressure: 1 while the event waits to be planned.
                    ALTER TABLE events ADD COLUMN plan_deferred INTEGER NOT NULL DEFAULT 0
                        CHECK (plan_deferred IN (0, 1));
                    CREATE INDEX events_deferred ON events (id) WHERE plan_deferred = 1;

                    -- Deleting an event or job looks up the rows that point at it: index those
                    -- columns so retention does not scan the tables once per deleted row.
                    CREATE INDEX events_duplicate_of ON events (duplicate_of);
                    CREATE INDEX fingerprints_event ON fingerprints (event_id);
                    CREATE INDEX effects_job ON effects (job_id);
                    CREATE INDEX effects_expires ON effects (expires_at);
                    """
            )
        }
        migrator.registerMigration("v4-job-counts") { db in
            try db.execute(
                sql: """
                    -- Jobs per state, kept by triggers: the metrics and the backlog read it every
                    -- second, and counting a table of a million jobs takes ~90 ms.
                    CREATE TABLE job_counts (
                        state TEXT PRIMARY KEY,
                        n INTEGER NOT NULL CHECK (n >= 0)
                    ) WITHOUT ROWID;
                    INSERT INTO job_counts (state, n) SELECT state, count(*) FROM jobs GROUP BY state;
                    CREATE TRIGGER jobs_counted_insert AFTER INSERT ON jobs BEGIN
                        INSERT INTO job_counts (state, n) VALUES (NEW.state, 1)
                        ON CONFLICT (state) DO UPDATE SET n = n + 1;
                    END;
                    CREATE TRIGGER jobs_counted_update AFTER UPDATE OF state ON jobs
                    WHEN OLD.state <> NEW.state BEGIN
                        UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
                        INSERT INTO job_counts (state, n) VALUES (NEW.state, 1)
                        ON CONFLICT (state) DO UPDATE SET n = n + 1;
                    END;
                    CREATE TRIGGER jobs_counted_delete AFTER DELETE ON jobs BEGIN
                        UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
                    END;
                    """
            )
        }
        migrator.registerMigration("v5-lease-indexes") { db in
            try db.execute(
                sql: """
                    -- The jobs waiting to run, in the order they are leased: the lease walks it and
                    -- stops after `limit` heads of their subjects, instead of sorting every waiting
                    -- job on every call (25 ms with 10,000 waiting; 0.04 ms this way). Expired
                    -- effects, deleted on every lease, are indexed since v3.
                    CREATE INDEX jobs_waiting ON jobs (due_at, id) WHERE state IN ('pending', 'failed');
                    """)
        }
        migrator.registerMigration("v6-partial-indexes") { db in
            try db.execute(
                sql: """
                    -- Most events name no build and duplicate nothing: index only those that do.
                    -- Every index an event enters is one more page written (and fsynced) with each
                    -- commit; `build_name = ?` and the duplicate_of lookup of a deleted event both
                    -- imply NOT NULL, so they still use these indexes.
                    DROP INDEX events_build;
                    CREATE INDEX events_build ON events (build_name, build_number) WHERE build_name IS NOT NULL;
                    DROP INDEX events_duplicate_of;
                    CREATE INDEX events_duplicate_of ON events (duplicate_of) WHERE duplicate_of IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v7-job-counts-in-code") { db in
            // The writes that insert jobs or change their state now count them themselves, once per
            // batch (JobCountChanges): the two triggers cost two statements per job and change.
            // Deletes stay counted by jobs_counted_delete (retention deletes jobs by cascade).
            try db.execute(
                sql: """
                    DROP TRIGGER jobs_counted_insert;
                    DROP TRIGGER jobs_counted_update;
                    """)
            try recountJobs(in: db)
        }
        migrator.registerMigration("v8-duplicate-bodies") { db in
            try db.execute(
                sql: """
                    -- A duplicate's body is its original's (same endpoint, same bytes: same
                    -- fingerprint), so duplicates now store none: a sender repeating a large body
                    -- grew the store by the whole body each time. Empty the ones stored before.
                    UPDATE events SET body = X'' WHERE duplicate_of IS NOT NULL AND length(body) > 0;
                    """)
        }
        migrator.registerMigration("v9-shadow-jobs") { db in
            try addShadowState(in: db)
        }
        migrator.registerMigration("v10-fanout-expansions") { db in
            try db.execute(
                sql: """
                    -- Fan-out (for_each): a child job points at the expansion job that inserted it,
                    -- and its key (item and action) is unique within that expansion, so a page
                    -- written again after a crash inserts no child twice. NULL for other jobs.
                    ALTER TABLE jobs ADD COLUMN parent_job_id INTEGER REFERENCES jobs (id) ON DELETE CASCADE;
                    ALTER TABLE jobs ADD COLUMN expansion_key TEXT;
                    CREATE UNIQUE INDEX jobs_expansion_child ON jobs (parent_job_id, expansion_key);

                    -- How far each expansion got: written with each page's children.
                    CREATE TABLE expansions (
                        job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                        next_offset INTEGER NOT NULL CHECK (next_offset >= 0),
                        found INTEGER CHECK (found >= 0)
                    );
                    """)
        }
        migrator.registerMigration("v11-skipped-jobs") { db in
            try addSkippedState(in: db)
        }
        migrator.registerMigration("v12-ignored-events") { db in
            try db.execute(
                sql: """
                    -- Why an endpoint's accept: filter did not take the event (stored, never
                    -- planned); NULL for every event it took and every event stored before.
                    ALTER TABLE events ADD COLUMN ignored TEXT;
                    """)
        }
        migrator.registerMigration("v13-throttles") { db in
            try db.execute(
                sql: """
                    -- Throttle windows (once_within:): one row per rule (or rule action) and key,
                    -- with the end of the window its event opened. A job whose claim finds an
                    -- open window is recorded on its event (plan_failures, code 'throttled').
                    -- Rows past their window are overwritten by the next claim or pruned.
                    CREATE TABLE throttles (
                        scope TEXT NOT NULL CHECK (length(scope) > 0),
                        key TEXT NOT NULL,
                        expires_at INTEGER NOT NULL,
                        event_id INTEGER NOT NULL,
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX throttles_expiry ON throttles (expires_at);
                    """)
        }
        migrator.registerMigration("v14-catch-up") { db in
            try addCatchUp(in: db)
        }
        migrator.registerMigration("v15-subscription-tests") { db in
            try addSubscriptionTests(in: db)
        }
        migrator.registerMigration("v16-activity-indexes") { db in
            try addActivityIndexes(in: db)
        }
        return migrator
    }

    /// v9: jobs may be in state `shadow` (planned by a rule in shadow mode, never sent). SQLite
    /// cannot change a CHECK constraint, so the table is rebuilt as its documentation describes
    /// (new table, copy, drop, rename; foreign keys are off while a migration runs), with its
    /// indexes, its delete trigger and its AUTOINCREMENT sequence, so no pruned job's id is given
    /// out again.
    static func addShadowState(in db: Database) throws {
        let sequences = try savedSequences(of: ["jobs"], in: db)
        try db.execute(
            sql: """
                CREATE TABLE jobs_v9 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                    rule TEXT NOT NULL CHECK (length(rule) > 0),
                    action_index INTEGER NOT NULL CHECK (action_index >= 0),
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    request TEXT NOT NULL,
                    origin TEXT NOT NULL CHECK (origin IN ('ingest', 'replay')),
                    state TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'running', 'failed', 'done', 'dead', 'cancelled', 'shadow')),
                    attempt_count INTEGER NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
                    created_at INTEGER NOT NULL,
                    due_at INTEGER NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    finished_at INTEGER,
                    last_error TEXT,
                    effects TEXT NOT NULL DEFAULT '[]',
                    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
                    -- A shadow job is never attempted.
                    CHECK (state <> 'shadow' OR attempt_count = 0)
                );
                INSERT INTO jobs_v9 (id, event_id, rule, action_index, kind, subject, request, origin, state,
                    attempt_count, created_at, due_at, lease_owner, lease_expires_at, finished_at, last_error, effects)
                SELECT id, event_id, rule, action_index, kind, subject, request, origin, state,
                    attempt_count, created_at, due_at, lease_owner, lease_expires_at, finished_at, last_error, effects
                FROM jobs;
                DROP TABLE jobs;
                ALTER TABLE jobs_v9 RENAME TO jobs;
                CREATE INDEX jobs_due ON jobs (state, due_at);
                CREATE INDEX jobs_subject ON jobs (subject, id);
                CREATE INDEX jobs_event ON jobs (event_id, id);
                CREATE INDEX jobs_waiting ON jobs (due_at, id) WHERE state IN ('pending', 'failed');
                CREATE TRIGGER jobs_counted_delete AFTER DELETE ON jobs BEGIN
                    UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
                END;
                """)
        try restore(sequences, in: db)
    }

    /// The AUTOINCREMENT counters of `tables` that have one, read before a migration rebuilds them.
    static func savedSequences(of tables: [String], in db: Database) throws -> [String: Int64] {
        var saved: [String: Int64] = [:]
        for table in tables {
            if let sequence = try Int64.fetchOne(
                db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])
            {
                saved[table] = sequence
            }
        }
        return saved
    }

    /// Sets each rebuilt table's AUTOINCREMENT counter back to at least what it was before, so no
    /// pruned row's id is given out again.
    static func restore(_ sequences: [String: Int64], in db: Database) throws {
        for (table, sequence) in sequences {
            let copied =
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table]) ?? 0
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
            try db.execute(
                sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, max(sequence, copied)])
        }
    }
}

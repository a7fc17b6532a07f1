import GRDB

extension SQLiteEventStore {
    /// Changes to the jobs-per-state counts (`job_counts`) made by one write, applied with it.
    ///
    /// The counts are read every second (metrics, backlog), and counting a table of a million jobs
    /// takes ~90 ms, so they are kept in `job_counts`. Until v7 triggers kept them, at two
    /// statements for every job inserted and every change of state: about 35 µs of the writer's
    /// time per job. Now the code that inserts a job or changes its state records the change here,
    /// and a batch applies its changes once, in the same transaction (and savepoint) as the rows,
    /// so a write that rolls back takes its changes with it. Deleted jobs (retention's cascade from
    /// their event) are still counted by the `jobs_counted_delete` trigger.
    struct JobCountChanges {
        private var deltas: [StoredJob.State: Int] = [:]

        /// `count` jobs entered `state` (inserted).
        mutating func add(_ state: StoredJob.State, count: Int = 1) {
            guard count != 0 else { return }
            deltas[state, default: 0] += count
        }

        /// `count` jobs went from `old` to `new`.
        mutating func move(from old: StoredJob.State, to new: StoredJob.State, count: Int = 1) {
            guard old != new else { return }
            add(old, count: -count)
            add(new, count: count)
        }

        /// Writes the changes into `job_counts` and forgets them.
        mutating func apply(in db: Database) throws {
            for (state, delta) in deltas where delta != 0 {
                // The CHECK (n >= 0) sees an upsert's proposed row, so decrements are updates: a
                // count that would go below zero fails the write.
                if delta > 0 {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO job_counts (state, n) VALUES (?, ?)
                            ON CONFLICT (state) DO UPDATE SET n = n + excluded.n
                            """
                    ).execute(arguments: [state.rawValue, delta])
                } else {
                    try db.cachedStatement(sql: "UPDATE job_counts SET n = n + ? WHERE state = ?")
                        .execute(arguments: [delta, state.rawValue])
                }
            }
            deltas = [:]
        }

        /// Counts the jobs `selection` (a `WHERE` clause on `jobs`) picks, by the state they are in
        /// and the state `newState` (an SQL expression) will move them to; call before the `UPDATE`
        /// that moves them.
        mutating func moving(
            where selection: String, arguments: StatementArguments, to newState: String, in db: Database
        ) throws {
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT state AS old, \(newState) AS new, count(*) AS n FROM jobs WHERE \(selection) GROUP BY 1, 2",
                arguments: arguments)
            for row in rows {
                guard let old = StoredJob.State(rawValue: row["old"]), let new = StoredJob.State(rawValue: row["new"])
                else { continue }
                move(from: old, to: new, count: row["n"])
            }
        }
    }

    /// Counts every job again into `job_counts` (the migration that stopped the triggers runs it).
    static func recountJobs(in db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM job_counts;
                INSERT INTO job_counts (state, n) SELECT state, count(*) FROM jobs GROUP BY state;
                """)
    }
}

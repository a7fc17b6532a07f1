import GRDB

extension SQLiteEventStore {
    public func unfinishedJobsByTarget() async throws -> [String: Int] {
        do {
            return try await pool.read { db in
                // `target:` < subject < `target;` keeps to the subject index's range of targets.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT substr(subject, 8, instr(subject, '|') - 8) AS target, count(*) AS n FROM jobs
                        WHERE subject > 'target:' AND subject < 'target;' AND instr(subject, '|') > 8
                          AND state IN ('pending', 'failed', 'running')
                        GROUP BY 1
                        """)
                return Dictionary(rows.map { (row: Row) in (row["target"] as String, row["n"] as Int) }) { $0 + $1 }
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }
}

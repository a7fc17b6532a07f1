import PostgresNIO

extension PostgresEventStore {
    public func unfinishedJobsByTarget() async throws -> [String: Int] {
        try await read { [logger] connection in
            // A prefix test, not a range: a collation may order `:` and `;` apart from their bytes.
            let rows = try await connection.rows(
                """
                SELECT split_part(substr(subject, 8), '|', 1), count(*)::bigint FROM jobs
                WHERE left(subject, 7) = 'target:' AND strpos(subject, '|') > 8
                  AND state IN ('pending', 'failed', 'running')
                GROUP BY 1
                """, logger: logger
            ).decode((String, Int).self).array()
            return Dictionary(rows) { $0 + $1 }
        }
    }
}

import PostgresNIO

extension PostgresEventStore {
    /// The tables of the daemon, with their indexes and TOAST (`pg_total_relation_size`): what
    /// they take on disk. PostgreSQL reuses the space of deleted rows once vacuumed but keeps it,
    /// so this shrinks only when a table does (`VACUUM FULL`); it stops growing while new rows
    /// fill space retention freed.
    public func storeSize() async throws -> Int {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
                """, logger: logger
            ).decode(Int.self).array().first ?? 0
        }
    }
}

import GRDB

extension SQLiteEventStore {
    /// The database file's pages in use times the page size: `page_count - freelist_count`, so
    /// pages freed by retention count as free at once, before `reclaimSpace()` hands them back.
    /// Three pragmas that read the file's header: microseconds, whatever the store's size.
    public func storeSize() async throws -> Int {
        do {
            return try await pool.read { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                return max(0, pages - free) * pageSize
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }
}

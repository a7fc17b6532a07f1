public import Foundation

/// Looking after the store itself: its schema, its health, its size and what retention deletes.
public protocol StoreMaintenance: Sendable {
    /// Creates or upgrades the schema. Runs before the daemon accepts traffic.
    func migrate() async throws

    /// The identifiers of the migrations applied to the database, oldest first (`v1-events`, …);
    /// empty for a database never migrated. The last one is the schema version.
    func schemaVersions() async throws -> [String]

    /// How the database's schema compares with this version's, read without changing anything:
    /// the commands use it instead of ``migrate()``, which only the daemon and `store migrate` run.
    func schemaState() async throws -> SchemaState

    /// A summary for `artifactory-hooks status`: events received since `since`, jobs by state, the
    /// oldest unfinished job and the number of deferred events.
    func status(since: Date) async throws -> StoreStatus

    /// Deletes, in one transaction, up to `limit` of the oldest events received before `cutoff`
    /// that are settled: not deferred, and every job of theirs done or cancelled (an event with a
    /// pending, running, failed or dead job is kept). Their jobs, attempts, plan failures and
    /// fingerprints go with them, and expired loop-guard effects too. An original goes together with
    /// its duplicates (kept while any of them is younger than `cutoff`), so a duplicate never
    /// outlives the body it refers to. Returns what went (duplicates included, so possibly more
    /// than `limit`); call again until it returns fewer than `limit` events.
    func pruneEvents(receivedBefore cutoff: Date, limit: Int) async throws -> PruneCount

    /// What repeated ``pruneEvents(receivedBefore:limit:)`` calls with this cutoff would delete,
    /// without deleting anything (`events prune --dry-run`).
    func prunableEvents(receivedBefore cutoff: Date) async throws -> PruneCount

    /// Gives the space of deleted rows back to the file system, where the engine needs to be told
    /// (SQLite's incremental vacuum); returns the bytes given back, when the engine knows.
    func reclaimSpace() async throws -> Int

    /// The bytes the store's data takes now, cheap enough to read every second (`store.max_bytes`):
    /// SQLite counts the database file's pages in use (pages freed by deletes are not counted,
    /// whether or not they were handed back yet; the write-ahead log is not counted); PostgreSQL
    /// sums `pg_total_relation_size` of the daemon's tables (indexes and TOAST included).
    func storeSize() async throws -> Int

    /// Proves the store accepts writes now (used by `/readyz`); throws otherwise.
    func checkWritable() async throws

    /// Releases the database. Calls after it fail.
    func close() async throws
}

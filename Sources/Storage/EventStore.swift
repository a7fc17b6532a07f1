public import ArtifactoryEvents

/// Durable storage of webhook events (and, in later versions, their jobs, attempts and leases).
///
/// Every implementation runs the same contract tests. A method returns only after its write has
/// committed with the store's configured durability, so a caller may acknowledge on return.
public protocol EventStore: Sendable {
    /// Creates or upgrades the schema. Runs before the daemon accepts traffic.
    func migrate() async throws

    /// Stores one delivery in one transaction and tells whether it repeats an earlier one.
    ///
    /// A delivery whose fingerprint matches an original received less than `dedupWindow` ago is
    /// stored as a duplicate of it (`duplicate_of` set) and must not plan any action.
    func insert(_ event: NewEvent, dedupWindow: Duration) async throws -> IngestResult

    /// Events that match `query`, newest first.
    func events(matching query: EventQuery) async throws -> [StoredEvent]

    /// One event by id, or `nil`.
    func event(id: Int64) async throws -> StoredEvent?

    /// Proves the store accepts writes now (used by `/readyz`); throws otherwise.
    func checkWritable() async throws

    /// Releases the database. Calls after it fail.
    func close() async throws
}

public import ArtifactoryEvents

/// Durable storage of webhook events (and, in later versions, their jobs, attempts and leases).
///
/// Every implementation runs the same contract tests. A method returns only after its write has
/// committed with the store's configured durability, so a caller may acknowledge on return.
public protocol EventStore: Sendable {
    /// Creates or upgrades the schema. Runs before the daemon accepts traffic.
    func migrate() async throws

    /// Stores one delivery and its plan in one transaction and tells whether it repeats an
    /// earlier one.
    ///
    /// A delivery whose fingerprint matches an original received less than `dedupWindow` ago is
    /// stored as a duplicate of it (`duplicate_of` set) and plans nothing: `plan` is not called.
    /// Otherwise `plan` is called inside the transaction with the new event's id (it must be pure
    /// and quick), and its jobs and failures are written with the event.
    func insert(
        _ event: NewEvent, dedupWindow: Duration, plan: @escaping @Sendable (Int64) -> EventPlan
    ) async throws -> IngestResult

    /// Adds the jobs and failures of a new plan to a stored event (`events replay`); returns how
    /// many jobs were created.
    func addPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> Int

    /// The jobs of one event, in creation order.
    func jobs(forEvent eventID: Int64) async throws -> [StoredJob]

    /// The plan failures recorded on one event.
    func planFailures(forEvent eventID: Int64) async throws -> [PlanFailure]

    /// Events that match `query`, newest first.
    func events(matching query: EventQuery) async throws -> [StoredEvent]

    /// One event by id, or `nil`.
    func event(id: Int64) async throws -> StoredEvent?

    /// Proves the store accepts writes now (used by `/readyz`); throws otherwise.
    func checkWritable() async throws

    /// Releases the database. Calls after it fail.
    func close() async throws
}

extension EventStore {
    /// Stores a delivery that plans nothing.
    public func insert(_ event: NewEvent, dedupWindow: Duration) async throws -> IngestResult {
        try await insert(event, dedupWindow: dedupWindow) { _ in .empty }
    }
}

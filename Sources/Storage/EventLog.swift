import ArtifactoryEvents
import Foundation

/// The events a store holds, with their plans: what ingest writes and the commands read.
///
/// A method returns only after its write has committed with the store's configured durability,
/// so a caller may acknowledge on return.
public protocol EventLog: Sendable {
    /// Stores one delivery and its plan in one transaction and tells whether it repeats an
    /// earlier one.
    ///
    /// A delivery whose fingerprint matches an original received less than `dedupWindow` ago is
    /// stored as a duplicate of it (`duplicate_of` set, and no body: the original's is the same)
    /// and plans nothing: `plan` is not called.
    /// Otherwise the store looks up whether one of the daemon's own jobs announced this event
    /// (``ExpectedEffect``, loop guard), records that on the event, and calls `plan` inside the
    /// transaction with the new event's id and that finding; its jobs and failures are written
    /// with the event, and the result holds the plan that committed. `plan` must be pure and
    /// quick: the store may call it more than once for one delivery (a batch written again) or
    /// for a delivery that is then not stored, so whatever a plan should cause beyond the store
    /// (metrics, logs) follows from the result, after the commit.
    func insert(
        _ event: NewEvent, dedupWindow: Duration, plan: @escaping @Sendable (Int64, SelfCause?) -> EventPlan
    ) async throws -> IngestResult

    /// Adds the jobs and failures of a new plan to a stored event (`events replay`, deferred
    /// planning); returns the plan as committed: its throttle claims decided, the refused jobs
    /// moved to ``EventPlan/throttled``.
    func commitPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> EventPlan

    /// The jobs of one event, in creation order.
    func jobs(forEvent eventID: Int64) async throws -> [StoredJob]

    /// The plan failures recorded on one event.
    func planFailures(forEvent eventID: Int64) async throws -> [PlanFailure]

    /// Events that match `query`, newest first.
    func events(matching query: EventQuery) async throws -> [StoredEvent]

    /// One event by id, or `nil`.
    func event(id: Int64) async throws -> StoredEvent?

    /// Events stored with a deferred plan (``EventPlan/deferred``) and not planned since, oldest
    /// first. ``commitPlan(_:toEvent:origin:)`` plans one and clears its mark.
    func deferredEvents(limit: Int) async throws -> [StoredEvent]
}

extension EventLog {
    /// Stores a delivery that plans nothing.
    public func insert(_ event: NewEvent, dedupWindow: Duration) async throws -> IngestResult {
        try await insert(event, dedupWindow: dedupWindow) { _, _ in .empty }
    }

    /// ``commitPlan(_:toEvent:origin:)``, returning how many jobs were written (throttled ones
    /// not counted).
    @discardableResult
    public func addPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> Int {
        try await commitPlan(plan, toEvent: eventID, origin: origin).jobs.count
    }
}

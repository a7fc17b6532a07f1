import ArtifactoryEvents
public import Foundation

/// Durable storage of webhook events (and, in later versions, their jobs, attempts and leases).
///
/// Every implementation runs the same contract tests. A method returns only after its write has
/// committed with the store's configured durability, so a caller may acknowledge on return.
public protocol EventStore: Sendable {
    /// Creates or upgrades the schema. Runs before the daemon accepts traffic.
    func migrate() async throws

    /// The identifiers of the migrations applied to the database, oldest first (`v1-events`, …);
    /// empty for a database never migrated. The last one is the schema version.
    func schemaVersions() async throws -> [String]

    /// How the database's schema compares with this version's, read without changing anything:
    /// the commands use it instead of ``migrate()``, which only the daemon and `store migrate` run.
    func schemaState() async throws -> SchemaState

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

    // MARK: Jobs

    /// Leases up to `limit` due jobs to `owner` until `now + leaseDuration`.
    ///
    /// A job is due when it is pending or failed with `due_at <= now`, or running with an expired
    /// lease (its worker died). Only the oldest unfinished job of each subject is ever leased, so
    /// jobs of one subject run one at a time in the order their events arrived. Leasing records the
    /// jobs' expected effects for the loop guard, valid for `effectWindow`.
    func leaseJobs(owner: String, limit: Int, now: Date, leaseDuration: Duration, effectWindow: Duration)
        async throws -> [LeasedJob]

    /// Records an attempt and moves the job on, if `owner` still holds its lease; returns whether
    /// it did (a job whose lease expired and moved to another worker is left alone).
    func finishAttempt(_ attempt: JobAttempt, owner: String) async throws -> Bool

    /// Hands back every lease `owner` holds (graceful shutdown); the jobs are due again at once.
    func releaseLeases(owner: String) async throws -> Int

    /// When the next job becomes due (pending, failed or leased), or `nil` when none is waiting.
    func nextDueDate() async throws -> Date?

    /// Jobs matching `query`, newest first.
    func jobs(matching query: JobQuery) async throws -> [StoredJob]

    /// One job by id.
    func job(id: Int64) async throws -> StoredJob?

    /// Every attempt of a job, oldest first.
    func attempts(forJob jobID: Int64) async throws -> [StoredAttempt]

    /// Makes dead or failed jobs (`ids`, or every dead job when `nil`) pending and due now, with
    /// their attempt count back at 0 (a retried job gets `worker.max_attempts` attempts again; the
    /// earlier ones stay in its history); returns how many changed.
    func retryJobs(ids: [Int64]?, now: Date) async throws -> Int

    /// Cancels a job that has not finished and is not being called (a running job only once its
    /// lease has run out: before, its call may be in flight and its result would be lost); returns
    /// whether it did.
    func cancelJob(id: Int64, now: Date) async throws -> Bool

    // MARK: Backpressure

    /// Events stored with a deferred plan (``EventPlan/deferred``) and not planned since, oldest
    /// first. ``addPlan(_:toEvent:origin:)`` plans one and clears its mark.
    func deferredEvents(limit: Int) async throws -> [StoredEvent]

    // MARK: Health, retention

    /// How many jobs are in each state (states with none are absent).
    func jobCounts() async throws -> [StoredJob.State: Int]

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

    // MARK: Across processes

    /// Calls `onJobs` whenever jobs may have become due through another process (another daemon
    /// planned them, handed them back at shutdown, or `jobs retry` ran), until the task is
    /// cancelled. Also calls it once whenever it starts listening, for anything announced while it
    /// was not. A store that cannot hear other processes returns at once; the worker's polling
    /// covers it.
    func watchJobs(_ onJobs: @escaping @Sendable () -> Void) async throws

    /// Proves the store accepts writes now (used by `/readyz`); throws otherwise.
    func checkWritable() async throws

    /// Releases the database. Calls after it fail.
    func close() async throws
}

extension EventStore {
    /// Nothing to watch: the default for a store used by one process.
    public func watchJobs(_ onJobs: @escaping @Sendable () -> Void) async throws {}

    /// Stores a delivery that plans nothing.
    public func insert(_ event: NewEvent, dedupWindow: Duration) async throws -> IngestResult {
        try await insert(event, dedupWindow: dedupWindow) { _, _ in .empty }
    }
}

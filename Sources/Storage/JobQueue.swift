public import Foundation

/// The planned jobs as a queue: what the worker leases and settles, and what `jobs list`, `retry`
/// and `cancel` read and change.
public protocol JobQueue: Sendable {
    /// Leases up to `limit` due jobs to `owner` until `now + leaseDuration`.
    ///
    /// A job is due when it is pending or failed with `due_at <= now`, or running with an expired
    /// lease (its worker died); a shadow job never is. Only the oldest unfinished job of each
    /// subject is ever leased, so jobs of one subject run one at a time in the order their events
    /// arrived. Leasing records the jobs' expected effects for the loop guard, valid for
    /// `effectWindow`.
    /// Only jobs whose subject passes `subjects` are leased (each outbound target has its own worker).
    func leaseJobs(
        owner: String, limit: Int, now: Date, leaseDuration: Duration, effectWindow: Duration, subjects: SubjectFilter
    ) async throws -> [LeasedJob]

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
    /// earlier ones stay in its history); returns how many changed. A shadow job is never retried:
    /// an id of one does not count.
    func retryJobs(ids: [Int64]?, now: Date) async throws -> Int

    /// Cancels a job that has not finished and is not being called (a running job only once its
    /// lease has run out: before, its call may be in flight and its result would be lost); returns
    /// whether it did. A shadow job, never sent, is left as it is.
    func cancelJob(id: Int64, now: Date) async throws -> Bool

    /// How many jobs are in each state (states with none are absent).
    func jobCounts() async throws -> [StoredJob.State: Int]

    /// How many unfinished jobs (pending, failed, running) each outbound target has, by target
    /// name (subject `target:NAME|…`); targets with none are absent.
    func unfinishedJobsByTarget() async throws -> [String: Int]

    /// Calls `onJobs` whenever jobs may have become due through another process (another daemon
    /// planned them, handed them back at shutdown, or `jobs retry` ran), until the task is
    /// cancelled. Also calls it once whenever it starts listening, for anything announced while it
    /// was not. A store that cannot hear other processes returns at once; the worker's polling
    /// covers it.
    func watchJobs(_ onJobs: @escaping @Sendable () -> Void) async throws
}

extension JobQueue {
    /// Leases among every job (``SubjectFilter/all``).
    public func leaseJobs(owner: String, limit: Int, now: Date, leaseDuration: Duration, effectWindow: Duration)
        async throws -> [LeasedJob]
    {
        try await leaseJobs(
            owner: owner, limit: limit, now: now, leaseDuration: leaseDuration, effectWindow: effectWindow,
            subjects: .all)
    }

    /// Nothing to watch: the default for a store used by one process.
    public func watchJobs(_ onJobs: @escaping @Sendable () -> Void) async throws {}
}

public import Foundation

/// A job leased to a worker, with what the worker needs to run it.
public struct LeasedJob: Sendable, Equatable {
    /// The job as stored (state `running`).
    public var job: StoredJob
    /// The hop count of the event that planned it (0 for an event from outside).
    public var eventHop: Int
    /// When the lease runs out; after it the job is due again.
    public var leaseExpiresAt: Date

    public init(job: StoredJob, eventHop: Int, leaseExpiresAt: Date) {
        self.job = job
        self.eventHop = eventHop
        self.leaseExpiresAt = leaseExpiresAt
    }
}

/// The outcome of one attempt at a job, as the worker reports it.
public struct JobAttempt: Sendable, Equatable {
    /// What becomes of the job.
    public enum Next: Sendable, Equatable {
        /// It succeeded.
        case done
        /// It failed and runs again at this time.
        case retry(at: Date)
        /// It failed for good.
        case dead
        /// Its guard did not hold: finished without the call (the attempt's message says why), and
        /// the effects its lease recorded for the loop guard are forgotten.
        case skipped
    }

    public var jobID: Int64
    public var startedAt: Date
    public var duration: Duration
    /// Artifactory's HTTP status, when it answered.
    public var httpStatus: Int?
    /// Artifactory's message or the connection error, for failures.
    public var message: String?
    public var next: Next

    public init(
        jobID: Int64, startedAt: Date, duration: Duration, httpStatus: Int?, message: String?, next: Next
    ) {
        self.jobID = jobID
        self.startedAt = startedAt
        self.duration = duration
        self.httpStatus = httpStatus
        self.message = message
        self.next = next
    }
}

/// An attempt as read back (`jobs show`).
public struct StoredAttempt: Sendable, Equatable {
    public var id: Int64
    public var jobID: Int64
    public var startedAt: Date
    public var duration: Duration
    public var httpStatus: Int?
    /// `success`, `retry`, `dead` or `skipped`.
    public var outcome: String
    public var message: String?

    public init(
        id: Int64, jobID: Int64, startedAt: Date, duration: Duration, httpStatus: Int?, outcome: String,
        message: String?
    ) {
        self.id = id
        self.jobID = jobID
        self.startedAt = startedAt
        self.duration = duration
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.message = message
    }
}

/// Filters for `jobs list` and the status page; every set filter must hold.
public struct JobQuery: Sendable, Equatable {
    public var state: StoredJob.State?
    public var eventID: Int64?
    /// Exact rule name.
    public var rule: String?
    /// Artifactory calls, one outbound target's calls, or all (default).
    public var subjects: SubjectFilter
    /// Only jobs with an id below this one: the next page of a newest-first list.
    public var beforeID: Int64?
    public var limit: Int

    public init(
        state: StoredJob.State? = nil, eventID: Int64? = nil, rule: String? = nil, subjects: SubjectFilter = .all,
        beforeID: Int64? = nil, limit: Int = 100
    ) {
        self.state = state
        self.eventID = eventID
        self.rule = rule
        self.subjects = subjects
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// Whether an incoming event was caused by the daemon's own action, found in the insert transaction.
public struct SelfCause: Sendable, Equatable {
    /// The event's hop count: one more than the event whose job caused it.
    public var hop: Int

    public init(hop: Int) { self.hop = hop }
}

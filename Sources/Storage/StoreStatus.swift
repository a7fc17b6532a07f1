import Foundation

/// A one-screen summary of the store, for `artifactory-hooks status`.
public struct StoreStatus: Sendable, Equatable {
    /// Events received since the summary's start, by `domain.event_type` (duplicates excluded).
    public var eventsByKind: [String: Int]
    /// Repeated deliveries received in the same period.
    public var duplicates: Int
    /// Jobs in each state, all time (states with none are absent).
    public var jobsByState: [StoredJob.State: Int]
    /// The oldest job that has not finished (pending, failed or running), if any.
    public var oldestUnfinishedJob: StoredJob?
    /// Events stored while planning was deferred and not planned yet.
    public var deferredEvents: Int
    /// Every event in the store.
    public var totalEvents: Int

    public init(
        eventsByKind: [String: Int], duplicates: Int, jobsByState: [StoredJob.State: Int],
        oldestUnfinishedJob: StoredJob?, deferredEvents: Int, totalEvents: Int
    ) {
        self.eventsByKind = eventsByKind
        self.duplicates = duplicates
        self.jobsByState = jobsByState
        self.oldestUnfinishedJob = oldestUnfinishedJob
        self.deferredEvents = deferredEvents
        self.totalEvents = totalEvents
    }

    /// Jobs that failed for good and wait for `jobs retry` or `jobs cancel`.
    public var deadLetters: Int { jobsByState[.dead, default: 0] }
}

/// What a retention pass deleted, or would delete.
public struct PruneCount: Sendable, Equatable {
    public var events: Int
    public var jobs: Int
    public var attempts: Int

    public init(events: Int = 0, jobs: Int = 0, attempts: Int = 0) {
        self.events = events
        self.jobs = jobs
        self.attempts = attempts
    }

    /// Adds another batch's counts.
    public static func + (lhs: PruneCount, rhs: PruneCount) -> PruneCount {
        PruneCount(events: lhs.events + rhs.events, jobs: lhs.jobs + rhs.jobs, attempts: lhs.attempts + rhs.attempts)
    }
}

public import Foundation

/// What the store saw happen over time, per minute and per rule: the status page's charts and its
/// rules table. Every daemon on one store sees the same numbers.
public protocol ActivityLog: Sendable {
    /// Events received at or after `since`, counted per `bucket` (aligned on the Unix epoch),
    /// oldest bucket first; buckets without events are absent.
    func eventActivity(since: Date, bucket: Duration) async throws -> [EventActivity]

    /// Attempts started at or after `since`, counted per `bucket` by outcome, oldest first;
    /// buckets without attempts are absent.
    func attemptActivity(since: Date, bucket: Duration) async throws -> [AttemptActivity]

    /// Per rule, the events it planned jobs for and its jobs created at or after `since`, by
    /// state; rules without jobs in that time are absent.
    func ruleActivity(since: Date) async throws -> [RuleActivity]

    /// Every catch-up checkpoint, by subscription name.
    func catchUpCheckpoints() async throws -> [CatchUpCheckpoint]
}

/// The events received in one bucket of time.
public struct EventActivity: Sendable, Equatable {
    /// The start of the bucket.
    public var start: Date
    /// Events stored that are neither duplicates nor self-caused.
    public var stored: Int
    /// Repeated deliveries.
    public var duplicates: Int
    /// Events one of the daemon's own calls caused (loop guard).
    public var selfCaused: Int

    public init(start: Date, stored: Int, duplicates: Int, selfCaused: Int) {
        self.start = start
        self.stored = stored
        self.duplicates = duplicates
        self.selfCaused = selfCaused
    }
}

/// The attempts started in one bucket of time, by outcome.
public struct AttemptActivity: Sendable, Equatable {
    /// The start of the bucket.
    public var start: Date
    /// Attempts that succeeded (`success`).
    public var done: Int
    /// Attempts that failed and are tried again (`retry`).
    public var retried: Int
    /// Attempts after which the job is dead.
    public var dead: Int
    /// Attempts whose guard did not hold (`skipped`).
    public var skipped: Int

    public init(start: Date, done: Int, retried: Int, dead: Int, skipped: Int) {
        self.start = start
        self.done = done
        self.retried = retried
        self.dead = dead
        self.skipped = skipped
    }
}

/// What one rule caused in a period.
public struct RuleActivity: Sendable, Equatable {
    public var rule: String
    /// Events the rule planned at least one job for.
    public var events: Int
    /// Jobs it planned.
    public var jobs: Int
    /// Of them, jobs done (sent and answered with success).
    public var done: Int
    /// Of them, dead letters.
    public var dead: Int

    public init(rule: String, events: Int, jobs: Int, done: Int, dead: Int) {
        self.rule = rule
        self.events = events
        self.jobs = jobs
        self.done = done
        self.dead = dead
    }
}

/// One catch-up subscription's checkpoint and lease, as stored.
public struct CatchUpCheckpoint: Sendable, Equatable {
    public var subscription: String
    /// Artifactory time (Unix milliseconds) before which every record was read; `nil` before the
    /// first run.
    public var checkpoint: Int64?
    /// The daemon reading it now, if any.
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?

    public init(subscription: String, checkpoint: Int64?, leaseOwner: String?, leaseExpiresAt: Date?) {
        self.subscription = subscription
        self.checkpoint = checkpoint
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
    }
}

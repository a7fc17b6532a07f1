public import Foundation

/// A job row as read back from the store.
public struct StoredJob: Sendable, Equatable {
    /// Where a job is in its life.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Waiting to run (first time or after `jobs retry`).
        case pending
        /// Leased by a worker now.
        case running
        /// Failed, waiting for its next attempt.
        case failed
        /// Succeeded.
        case done
        /// Failed for good; `jobs retry` puts it back.
        case dead
        /// Cancelled by an operator.
        case cancelled
        /// Planned by a rule in shadow mode: recorded exactly as it would run, never leased, sent or
        /// retried (also once the rule is live), and settled from the start, so retention prunes it
        /// with its event.
        case shadow
        /// Its guard (`require:`) did not hold just before the call: finished without sending it,
        /// with the reason as its last error. Final: never retried, not a dead letter.
        case skipped

        /// The states of a job still to finish: what backpressure counts against `max_pending`.
        public static let unfinished: [State] = [.pending, .running, .failed]

        /// How many of `counts` (as `EventStore.jobCounts()` gives them) are unfinished.
        public static func unfinishedCount(_ counts: [State: Int]) -> Int {
            unfinished.reduce(0) { $0 + counts[$1, default: 0] }
        }
    }

    public var id: Int64
    public var eventID: Int64
    public var rule: String
    public var actionIndex: Int
    public var kind: String
    public var subject: String
    /// The planned request as JSON.
    public var request: String
    public var origin: JobOrigin
    public var state: State
    public var attemptCount: Int
    public var createdAt: Date
    public var dueAt: Date
    public var finishedAt: Date?
    public var lastError: String?

    public init(
        id: Int64, eventID: Int64, rule: String, actionIndex: Int, kind: String, subject: String, request: String,
        origin: JobOrigin, state: State, attemptCount: Int, createdAt: Date, dueAt: Date, finishedAt: Date?,
        lastError: String?
    ) {
        self.id = id
        self.eventID = eventID
        self.rule = rule
        self.actionIndex = actionIndex
        self.kind = kind
        self.subject = subject
        self.request = request
        self.origin = origin
        self.state = state
        self.attemptCount = attemptCount
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.finishedAt = finishedAt
        self.lastError = lastError
    }
}

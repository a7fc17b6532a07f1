public import ArtifactoryEvents

/// What the rules decided for one event, in the store's terms: the jobs to run and the actions that
/// could not be planned, written in the same transaction as the event, and what the loop guard held
/// back, which the store does not write (the daemon counts it once the plan has committed).
public struct EventPlan: Sendable, Equatable {
    /// Jobs to create, in planning order.
    public var jobs: [NewJob]
    /// Actions that could not be planned, recorded on the event.
    public var failures: [PlanFailure]
    /// Jobs the store held back because their throttle window (``NewJob/throttle``) was open,
    /// recorded on the event with code ``ThrottleClaim/throttledCode``. Filled by the store as it
    /// writes the plan; a plan as the rules give it has none.
    public var throttled: [PlanFailure] = []
    /// How many rules whose conditions held skipped the event because it is self-caused. Not stored.
    public var skippedSelfCaused: Int
    /// Whether the loop guard's hop limit stopped the event before any rule was tried. Not stored.
    public var stoppedByHopLimit: Bool
    /// Planning was put off (backpressure): the event is stored and marked, and planned later
    /// through ``EventStore/deferredEvents(limit:)`` and ``EventStore/commitPlan(_:toEvent:origin:)``.
    /// A deferred plan has no jobs, no failures and nothing held back.
    public var deferred: Bool

    public init(
        jobs: [NewJob] = [], failures: [PlanFailure] = [], skippedSelfCaused: Int = 0, stoppedByHopLimit: Bool = false
    ) {
        self.jobs = jobs
        self.failures = failures
        self.skippedSelfCaused = skippedSelfCaused
        self.stoppedByHopLimit = stoppedByHopLimit
        self.deferred = false
    }

    /// The jobs that will run: every job but the shadow ones, which are recorded and never sent,
    /// so they are no part of the backlog (`worker.max_pending`) and wake no worker.
    public var liveJobCount: Int { jobs.count { !$0.shadow } }

    /// No jobs, no failures, nothing held back.
    public static let empty = EventPlan()

    /// Planning put off until the backlog of jobs shrinks.
    public static let deferred: EventPlan = {
        var plan = EventPlan()
        plan.deferred = true
        return plan
    }()
}

/// A job to create: one planned Artifactory call.
public struct NewJob: Sendable, Equatable {
    /// The rule that planned it.
    public var rule: String
    /// The action's position in the rule's `do:` list.
    public var actionIndex: Int
    /// `set_properties`, `copy`, …
    public var kind: String
    /// The ordering key of the action's target (`artifact:repo/path`, `build:name#number`).
    public var subject: String
    /// The planned request, as JSON (method, path, body), opaque to the store.
    public var request: String
    /// Events Artifactory will send because of this call (loop guard).
    public var effects: [ExpectedEffect]
    /// Planned by a rule in shadow mode: stored in state ``StoredJob/State/shadow``, never sent.
    public var shadow: Bool
    /// The throttle window the job claims (`once_within:`); `nil` for an unthrottled job. The store
    /// decides it in the event's transaction: a refused claim records the job as throttled.
    public var throttle: ThrottleClaim? = nil
    /// For a child of an expansion (`for_each`): what identifies it within its expansion (its item
    /// and action), so an expansion repeated after a crash inserts it once. `nil` otherwise.
    public var expansionKey: String? = nil

    /// The ``kind`` of an expansion job: it runs a query and inserts child jobs.
    public static let expansionKind = "for_each"

    public init(
        rule: String, actionIndex: Int, kind: String, subject: String, request: String,
        effects: [ExpectedEffect] = [], shadow: Bool = false
    ) {
        self.rule = rule
        self.actionIndex = actionIndex
        self.kind = kind
        self.subject = subject
        self.request = request
        self.effects = effects
        self.shadow = shadow
    }

    /// The state the job is stored in: `pending`, or `shadow` for a shadow job.
    public var initialState: StoredJob.State { shadow ? .shadow : .pending }
}

/// An action that could not be planned for an event (a template naming a missing field, a path
/// climbing out of its repository…). Kept with the event so an operator sees why nothing happened.
public struct PlanFailure: Sendable, Equatable {
    public var rule: String
    public var actionIndex: Int
    public var kind: String
    /// A short stable code (`missing_field`, `bad_path`, …).
    public var code: String
    /// What went wrong, in words.
    public var message: String

    public init(rule: String, actionIndex: Int, kind: String, code: String, message: String) {
        self.rule = rule
        self.actionIndex = actionIndex
        self.kind = kind
        self.code = code
        self.message = message
    }
}

/// Why a job exists.
public enum JobOrigin: String, Sendable, Equatable {
    /// Planned when the event arrived.
    case ingest
    /// Planned again by `events replay`.
    case replay
}

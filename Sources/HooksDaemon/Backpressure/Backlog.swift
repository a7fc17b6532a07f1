import Synchronization

/// The backlog of unfinished jobs as ingest sees it, and whether new events are planned now or
/// deferred (`worker.max_pending`).
///
/// Ingest asks ``beginIngest()`` before each insert and reports what it did; ``BacklogService``
/// sets the true count from the store every second and plans deferred events once the backlog is
/// below the limit. While deferred events wait, new events are deferred too, so that events of
/// one item are still planned in the order they arrived.
public final class Backlog: Sendable {
    /// A change of the backpressure state, to log once per episode.
    public enum Transition: Sendable, Equatable {
        /// The backlog went over the limit: planning is deferred from now on.
        case started(unfinished: Int)
        /// Every deferred event is planned and the backlog is under the limit again.
        case ended
    }

    struct State {
        var unfinished = 0
        var overLimit = false
        /// Deferred events stored and not planned yet.
        var deferred = 0
        /// Deliveries that were told to defer and have not committed yet.
        var deferring = 0
        /// Counts deferral decisions and commits, so the planner can tell whether one happened
        /// while it read.
        var generation: UInt64 = 0
        var episode = false
    }

    /// `worker.max_pending`.
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = limit
    }

    /// Whether an event arriving now is stored without planning; ingest calls it once before its
    /// insert and ``finishIngest(deferred:stored:planned:)`` after it, whatever happened.
    public func beginIngest() -> Bool {
        state.withLock { state in
            guard state.overLimit || state.deferred > 0 || state.deferring > 0 else { return false }
            state.deferring += 1
            state.generation &+= 1
            return true
        }
    }

    /// Ingest's insert ended: `deferred` is what ``beginIngest()`` said, `stored` whether a new
    /// (not duplicate) event was committed, `planned` how many jobs it created that will run
    /// (shadow jobs never do).
    public func finishIngest(deferred: Bool, stored: Bool, planned: Int) -> Transition? {
        state.withLock { state in
            if deferred {
                state.deferring -= 1
                state.generation &+= 1
                if stored { state.deferred += 1 }
            }
            state.unfinished += planned
            return Self.update(&state, limit: limit)
        }
    }

    /// Sets the number of unfinished jobs read from the store.
    public func refresh(unfinished: Int) -> Transition? {
        state.withLock { state in
            state.unfinished = unfinished
            return Self.update(&state, limit: limit)
        }
    }

    /// Sets the number of deferred events read from the store (at start).
    public func setDeferred(_ count: Int) -> Transition? {
        state.withLock { state in
            state.deferred = count
            return Self.update(&state, limit: limit)
        }
    }

    /// Whether the planner may plan deferred events now: the backlog is below the limit.
    public var mayPlan: Bool { state.withLock { $0.unfinished < limit } }

    /// The current deferral count, to pass to ``noDeferredEvents(since:)`` after a read.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// The planner planned one deferred event, which created `jobs` jobs that will run.
    public func deferredEventPlanned(jobs: Int) -> Transition? {
        state.withLock { state in
            state.deferred = max(0, state.deferred - 1)
            state.unfinished += jobs
            return Self.update(&state, limit: limit)
        }
    }

    /// The planner found no deferred event in a read that started at `generation`; unless a
    /// delivery decided to defer or committed a deferred event since, and none is still on its
    /// way, no event is waiting.
    public func noDeferredEvents(since generation: UInt64) -> Transition? {
        state.withLock { state in
            guard state.generation == generation, state.deferring == 0 else { return nil }
            state.deferred = 0
            return Self.update(&state, limit: limit)
        }
    }

    /// Whether planning is deferred now, and how many events wait (for the gauges).
    public var snapshot: (active: Bool, deferred: Int, unfinished: Int) {
        state.withLock { ($0.overLimit || $0.deferred > 0 || $0.deferring > 0, $0.deferred, $0.unfinished) }
    }

    private static func update(_ state: inout State, limit: Int) -> Transition? {
        state.overLimit = state.unfinished > limit
        let active = state.overLimit || state.deferred > 0 || state.deferring > 0
        if active, !state.episode {
            state.episode = true
            return .started(unfinished: state.unfinished)
        }
        if !active, state.episode {
            state.episode = false
            return .ended
        }
        return nil
    }
}

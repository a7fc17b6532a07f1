import Synchronization

/// The backlog of unfinished jobs as ingest sees it, and whether new events are planned now or
/// deferred (`worker.max_pending`).
///
/// Ingest asks ``shouldDefer()`` before each insert and reports what it did; ``BacklogService``
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
        var deferred = 0
        /// Counts deferrals, so the planner can tell whether one happened while it read.
        var generation: UInt64 = 0
        var episode = false
    }

    /// `worker.max_pending`.
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = limit
    }

    /// Whether an event arriving now is stored without planning.
    public func shouldDefer() -> Bool {
        state.withLock { $0.overLimit || $0.deferred > 0 }
    }

    /// Ingest planned `count` jobs (counted until the next refresh from the store).
    public func jobsPlanned(_ count: Int) -> Transition? {
        guard count > 0 else { return nil }
        return state.withLock { state in
            state.unfinished += count
            return Self.update(&state, limit: limit)
        }
    }

    /// Ingest stored an event with a deferred plan (after its commit).
    public func eventDeferred() -> Transition? {
        state.withLock { state in
            state.deferred += 1
            state.generation &+= 1
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

    /// The planner planned one deferred event, which created `jobs` jobs.
    public func deferredEventPlanned(jobs: Int) -> Transition? {
        state.withLock { state in
            state.deferred = max(0, state.deferred - 1)
            state.unfinished += jobs
            return Self.update(&state, limit: limit)
        }
    }

    /// The planner found no deferred event in a read that started at `generation`; unless an
    /// event was deferred since, none is waiting.
    public func noDeferredEvents(since generation: UInt64) -> Transition? {
        state.withLock { state in
            guard state.generation == generation else { return nil }
            state.deferred = 0
            return Self.update(&state, limit: limit)
        }
    }

    /// Whether planning is deferred now, and how many events wait (for the gauges).
    public var snapshot: (active: Bool, deferred: Int, unfinished: Int) {
        state.withLock { ($0.overLimit || $0.deferred > 0, $0.deferred, $0.unfinished) }
    }

    private static func update(_ state: inout State, limit: Int) -> Transition? {
        state.overLimit = state.unfinished > limit
        let active = state.overLimit || state.deferred > 0
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

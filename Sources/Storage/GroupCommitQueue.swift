import Synchronization

/// Lets concurrent callers share one transaction (group commit), committed on the database's own
/// writer, with no background task.
///
/// Each caller enqueues its item and waits. When nothing is scheduled, the caller schedules one
/// drain step on the writer (`schedule`, GRDB's serial writer queue). A step takes up to
/// `maxBatch` queued items, commits them together through `commit`, answers every caller of the
/// batch, and, if more items arrived meanwhile, schedules the next step at once. So batch N+1
/// forms while batch N commits (and fsyncs) and starts the moment N is done, without waiting for
/// any caller's task to be scheduled; each step goes to the back of the writer's queue, so the
/// worker's own writes still get their turn between batches. At low load a lone caller commits at
/// once (no added latency); under load one commit (one fsync) serves a whole batch.
///
/// A caller is answered only after the commit of its own batch returned, with its own result.
final class GroupCommitQueue<Item: Sendable, Output: Sendable, Connection>: Sendable {
    /// Commits a batch on `Connection` and returns one result per item, in order.
    typealias Commit = @Sendable (Connection, [Item]) -> [Result<Output, any Error>]
    /// Runs a step on the writer, some time later, after the work already queued there.
    typealias Schedule = @Sendable (@escaping @Sendable (Connection) -> Void) -> Void

    private let maxBatch: Int
    private let commit: Commit
    private let schedule: Schedule
    private let state = Mutex(State())

    private struct State {
        var pending: [(item: Item, caller: CheckedContinuation<Output, any Error>)] = []
        /// Whether a step is scheduled or running; it schedules the next one itself.
        var scheduled = false
    }

    /// - Parameters:
    ///   - maxBatch: the most items committed in one transaction.
    ///   - schedule: runs a step on the writer, after what is already queued there.
    ///   - commit: commits a batch and returns one result per item, in order.
    init(maxBatch: Int, schedule: @escaping Schedule, commit: @escaping Commit) {
        self.maxBatch = max(1, maxBatch)
        self.schedule = schedule
        self.commit = commit
    }

    /// Commits `item` (possibly together with others) and returns its result once committed.
    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { caller in
            let starts = state.withLock { state in
                state.pending.append((item, caller))
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
            if starts { schedule { [self] connection in step(connection) } }
        }
    }

    /// Commits one batch on the writer and schedules the next one if items are waiting.
    private func step(_ connection: Connection) {
        let batch = state.withLock { state in
            let batch = Array(state.pending.prefix(maxBatch))
            state.pending.removeFirst(batch.count)
            return batch
        }
        if !batch.isEmpty {
            let results = commit(connection, batch.map(\.item))
            for (entry, result) in zip(batch, results) { entry.caller.resume(with: result) }
            for entry in batch.dropFirst(results.count) { entry.caller.resume(throwing: MissingResult()) }
        }
        let more = state.withLock { state in
            if state.pending.isEmpty { state.scheduled = false }
            return state.scheduled
        }
        if more { schedule { [self] connection in step(connection) } }
    }

    /// Items waiting for a batch (for tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// `commit` returned fewer results than items (a bug): the callers without one fail.
    struct MissingResult: Error {}
}

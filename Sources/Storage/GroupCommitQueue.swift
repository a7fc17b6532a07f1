import Synchronization

/// Lets concurrent callers share one transaction (group commit) without a background task.
///
/// Each caller enqueues its item. The first caller that finds no writer becomes the writer: it
/// takes up to `maxBatch` queued items, commits them together through `commit`, and answers every
/// caller in the batch. When its own item is done it hands the writer role to the oldest caller
/// still waiting, so no caller writes for others forever. At low load a lone caller commits at once
/// (no added latency); under load one commit (one fsync) serves a whole batch.
final class GroupCommitQueue<Item: Sendable, Output: Sendable>: Sendable {
    typealias Commit = @Sendable ([Item]) async -> [Result<Output, any Error>]

    private let maxBatch: Int
    private let commit: Commit
    private let state = Mutex(State())

    private struct State {
        var pending: [(item: Item, ticket: Ticket)] = []
        var writing = false
    }

    /// - Parameters:
    ///   - maxBatch: the most items committed in one transaction.
    ///   - commit: commits a batch and returns one result per item, in order.
    init(maxBatch: Int, commit: @escaping Commit) {
        self.maxBatch = maxBatch
        self.commit = commit
    }

    /// Commits `item` (possibly together with others) and returns its result once committed.
    func submit(_ item: Item) async throws -> Output {
        let ticket = Ticket()
        let leads = state.withLock { state in
            state.pending.append((item, ticket))
            if state.writing { return false }
            state.writing = true
            return true
        }
        var signal = leads ? Signal.lead : await ticket.wait()
        while case .lead = signal {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(batch.count)
                return batch
            }
            let results = await commit(batch.map(\.item))
            var mine: Result<Output, any Error>?
            for (entry, result) in zip(batch, results) {
                if entry.ticket === ticket {
                    mine = result
                } else {
                    entry.ticket.signal(.finished(result))
                }
            }
            if let mine {
                let next = state.withLock { state -> Ticket? in
                    guard let first = state.pending.first else {
                        state.writing = false
                        return nil
                    }
                    return first.ticket
                }
                next?.signal(.lead)
                return try mine.get()
            }
            signal = .lead
        }
        guard case .finished(let result) = signal else { preconditionFailure("a ticket ends finished") }
        return try result.get()
    }

    private enum Signal: Sendable {
        /// Become the writer.
        case lead
        /// The item was committed (or failed).
        case finished(Result<Output, any Error>)
    }

    /// One caller's place in the queue: a one-shot signal, delivered before or after it waits.
    private final class Ticket: Sendable {
        private let state = Mutex<(signal: Signal?, waiter: CheckedContinuation<Signal, Never>?)>((nil, nil))

        func wait() async -> Signal {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Signal? in
                    if let signal = state.signal {
                        state.signal = nil
                        return signal
                    }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        func signal(_ signal: Signal) {
            let waiter = state.withLock { state -> CheckedContinuation<Signal, Never>? in
                guard let waiter = state.waiter else {
                    state.signal = signal
                    return nil
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: signal)
        }
    }
}

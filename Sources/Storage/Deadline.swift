import Dispatch
import Synchronization

/// A store call that did not finish in time.
public struct DeadlinePassed: Error, Sendable, CustomStringConvertible {
    /// How long the call had.
    public let limit: Duration
    public var description: String { "no answer from the database within \(limit)" }
}

/// Runs store calls with a time limit that holds even when the call itself ignores cancellation.
///
/// postgres-nio waits about a minute for a connection while the server is away, and a query on a
/// connection that died mid-way has been seen to never return; a delivery would then wait that
/// long for its 503, and the worker for ever. With a deadline the caller gets ``DeadlinePassed``
/// after `limit`, and a cancelled caller gets `CancellationError` at once; either way the call is
/// cancelled, and a call deaf to cancellation is left to end on its own (what it commits later is
/// what at-least-once allows: a redelivery is a duplicate, a lease runs out).
///
/// Each call runs in one task; the timer is a dispatch timer, cancelled when the call answers.
enum Deadline {
    static func run<Value: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let answer = Answer<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.start(
                    continuation,
                    work: Task {
                        do {
                            answer.resume(with: .success(try await operation()))
                        } catch {
                            answer.resume(with: .failure(error))
                        }
                    },
                    timer: Timer(DispatchWorkItem { answer.resume(with: .failure(DeadlinePassed(limit: limit))) }))
                answer.schedule(after: .nanoseconds(Int(clamping: Self.nanoseconds(limit))))
            }
        } onCancel: {
            answer.resume(with: .failure(CancellationError()))
        }
    }

    /// `limit` in whole nanoseconds, for the dispatch timer: none below zero, the largest above
    /// what fits.
    private static func nanoseconds(_ limit: Duration) -> Int64 {
        let (seconds, attoseconds) = limit.components
        let (whole, overflow) = max(0, seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + max(0, attoseconds) / 1_000_000_000
    }

    /// The timer of one call, shared by whoever answers first: a `DispatchWorkItem` may be
    /// cancelled from any thread.
    private struct Timer: @unchecked Sendable {
        let item: DispatchWorkItem
        init(_ item: DispatchWorkItem) { self.item = item }
    }

    /// The continuation, resumed once by whichever ends first: the call, the timer or the
    /// caller's cancellation. The first to resume it cancels the other two.
    private final class Answer<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Value, any Error>?
            var work: Task<Void, Never>?
            var timer: Timer?
            /// An answer that came before the continuation was stored (a cancelled caller).
            var early: Result<Value, any Error>?
        }
        private let state = Mutex(State())

        /// Stores what the call needs; resumes at once when the caller was cancelled before.
        func start(
            _ continuation: CheckedContinuation<Value, any Error>, work: Task<Void, Never>, timer: Timer
        ) {
            let early = state.withLock { state in
                guard let early = state.early else {
                    state.continuation = continuation
                    state.work = work
                    state.timer = timer
                    return Result<Value, any Error>?.none
                }
                return early
            }
            if let early {
                work.cancel()
                continuation.resume(with: early)
            }
        }

        /// Starts the timer, unless the call has already answered.
        func schedule(after delay: DispatchTimeInterval) {
            guard let timer = state.withLock({ $0.timer }) else { return }
            DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: timer.item)
        }

        func resume(with result: Result<Value, any Error>) {
            let (continuation, work, timer) = state.withLock { state in
                defer {
                    state.continuation = nil
                    state.work = nil
                    state.timer = nil
                }
                if state.continuation == nil, state.work == nil, state.early == nil { state.early = result }
                return (state.continuation, state.work, state.timer)
            }
            guard let continuation else { return }
            timer?.item.cancel()
            work?.cancel()
            continuation.resume(with: result)
        }
    }
}

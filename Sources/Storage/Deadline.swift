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
/// long for its 503, and the worker for ever. With a deadline the caller gets ``DeadlinePassed``;
/// the call is cancelled and left to end on its own (what it commits later is what at-least-once
/// allows: a redelivery is a duplicate, a lease runs out).
enum Deadline {
    static func run<Value: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let answer = Answer(continuation)
            let work = Task {
                do {
                    answer.resume(with: .success(try await operation()))
                } catch {
                    answer.resume(with: .failure(error))
                }
            }
            answer.setTimer(
                Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled else { return }
                    answer.resume(with: .failure(DeadlinePassed(limit: limit)))
                    work.cancel()
                })
        }
    }

    /// The continuation, resumed once by whichever of the call and the timer ends first.
    private final class Answer<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Value, any Error>?
            var timer: Task<Void, Never>?
        }
        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<Value, any Error>) {
            state = Mutex(State(continuation: continuation))
        }

        /// Keeps the timer to cancel when the call answers first (at once, if it already has).
        func setTimer(_ timer: Task<Void, Never>) {
            let answered = state.withLock { state in
                state.timer = timer
                return state.continuation == nil
            }
            if answered { timer.cancel() }
        }

        func resume(with result: Result<Value, any Error>) {
            let (continuation, timer) = state.withLock { state in
                defer { state.continuation = nil }
                return (state.continuation, state.timer)
            }
            guard let continuation else { return }
            timer?.cancel()
            continuation.resume(with: result)
        }
    }
}

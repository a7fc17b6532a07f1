import Foundation
import HooksDaemon
import Synchronization

/// A ``DaemonClock`` that moves only when the test calls ``advance(by:)``: a sleep on it ends once
/// the clock has been advanced to its end (or its task is cancelled), never by itself.
final class ManualClock: DaemonClock {
    private struct Sleeper {
        let id: Int
        let duration: Duration
        let end: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct Watcher {
        let duration: Duration?
        let continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var elapsed = Duration.zero
        var nextID = 0
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
    }
    private let state = Mutex(State())
    /// The wall-clock time the clock starts at.
    let start: Date

    /// - Parameter start: the wall-clock time at the start; the real time by default, so that
    ///   times other code writes with `Date()` are no later than this clock's.
    init(start: Date = Date()) {
        self.start = start
    }

    var now: Date { start.addingTimeInterval(uptime.timeInterval) }
    var uptime: Duration { state.withLock { $0.elapsed } }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, watchers) = state.withLock {
                    state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled { return (Result<Void, any Error>.failure(CancellationError()), []) }
                    if duration <= .zero { return (.success(()), []) }
                    state.sleepers.append(
                        Sleeper(id: id, duration: duration, end: state.elapsed + duration, continuation: continuation))
                    return (nil, Self.satisfied(&state))
                }
                for watcher in watchers { watcher.resume() }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock on by `duration` and ends every sleep that ends by then.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.elapsed += duration
            let elapsed = state.elapsed
            defer { state.sleepers.removeAll { $0.end <= elapsed } }
            return state.sleepers.filter { $0.end <= elapsed }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once a task sleeps on this clock (for exactly `duration`, when given): the point at
    /// which a test can advance the clock past that sleep.
    func untilSleeping(for duration: Duration? = nil) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.sleepers.contains(where: { duration == nil || $0.duration == duration }) { return true }
                state.watchers.append(Watcher(duration: duration, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Removes and returns the watchers a sleeper now satisfies.
    private static func satisfied(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let sleepers = state.sleepers
        func met(_ watcher: Watcher) -> Bool {
            sleepers.contains { watcher.duration == nil || $0.duration == watcher.duration }
        }
        defer { state.watchers.removeAll(where: met) }
        return state.watchers.filter(met).map(\.continuation)
    }
}

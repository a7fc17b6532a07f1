import Synchronization

/// Wakes the worker: ingest after committing jobs, a finished job, shutdown. Wake-ups coalesce;
/// a wake-up before anyone waits is kept for the next wait.
public final class WorkerSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    /// Signals woken with this one (the targets' workers follow the Artifactory worker's signal).
    private let followers = Mutex<[WorkerSignal]>([])

    public init() {}

    /// Wakes `other` whenever this signal is woken.
    public func forward(to other: WorkerSignal) {
        followers.withLock { $0.append(other) }
    }

    /// Wakes the waiter, or the next one to wait.
    public func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
        for follower in followers.withLock({ $0 }) { follower.wake() }
    }

    /// Returns at the next wake-up, or once `timeout` has passed on `clock` when given. One waiter
    /// at a time.
    public func wait(timeout: Duration?, on clock: any DaemonClock = SystemClock()) async {
        guard let timeout else {
            await waitForWake()
            return
        }
        // Whichever ends first wins; cancelling the waiter resumes it without storing a wake-up.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForWake() }
            group.addTask { try? await clock.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForWake() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    // Cancelled before it could wait: `onCancel` already ran and found no waiter to
                    // resume, so a waiter stored now would wait for ever (the daemon then hung at
                    // a failed start, deaf to SIGTERM).
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

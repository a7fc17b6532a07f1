public import Foundation

/// The time the daemon's timed parts read and wait on: the job worker (its wake-up timeouts, the
/// lease and retry due times it writes, the loop guard's window that starts at a lease, the drain
/// deadline) and the retention service (its cutoff, interval and pause).
///
/// The daemon runs on ``SystemClock``. Tests pass a clock they advance by hand, so they never
/// sleep for time to pass.
public protocol DaemonClock: Sendable {
    /// Wall-clock time: what is written to the store (a lease's expiry, a retry's due time, a
    /// retention cutoff) and compared with times read from it.
    var now: Date { get }
    /// Monotonic time since an arbitrary origin, for spans such as the drain deadline.
    var uptime: Duration { get }
    /// Returns once `duration` has passed on this clock; throws `CancellationError` as soon as the
    /// task is cancelled.
    func sleep(for duration: Duration) async throws
}

public import Foundation

/// The machine's clocks: `Date()` for wall-clock time, `ContinuousClock` for spans and sleeps.
public struct SystemClock: DaemonClock {
    private static let origin = ContinuousClock.now

    public init() {}

    public var now: Date { Date() }
    public var uptime: Duration { ContinuousClock.now - Self.origin }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

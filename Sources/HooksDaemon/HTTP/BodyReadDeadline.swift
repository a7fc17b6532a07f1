import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// Bounds how long a delivery's body may take to arrive (`ingest.body_timeout`).
///
/// The idle timeout closes a connection that sends nothing; this bounds a client that sends a
/// byte now and then. Without it, such a client holds its connection (and a descriptor) for as
/// long as it likes, and a graceful stop waits for it.
///
/// Reads in progress are kept in a table that one sweep, a few times per limit, checks: a read
/// costs two lookups under a lock instead of a timer of its own (a task that sleeps and is
/// cancelled for every delivery). A read past its limit has its connection closed, which ends the
/// body; no answer can be written (closing only the input side does not end the body while the
/// client keeps sending).
public final class BodyReadDeadline: Service, Sendable {
    /// The limit; `nil` turns the sweep off.
    public let limit: Duration?
    private let reads = Mutex(Reads())

    private struct Reads {
        var next: UInt64 = 0
        var started: [UInt64: (at: ContinuousClock.Instant, channel: any Channel)] = [:]
    }

    public init(limit: Duration?) {
        self.limit = limit
    }

    /// Runs `read` (which reads a body from `channel`) and returns what it returns if it ended
    /// within the limit. Throws ``BodyDeadlinePassed`` when the sweep cut it off, whatever `read`
    /// returned or threw.
    func read<Value>(channel: any Channel, _ read: () async throws -> Value) async throws -> Value {
        guard limit != nil else { return try await read() }
        let id = reads.withLock { reads in
            defer { reads.next += 1 }
            reads.started[reads.next] = (.now, channel)
            return reads.next
        }
        let outcome: Result<Value, any Error>
        do {
            outcome = .success(try await read())
        } catch {
            outcome = .failure(error)
        }
        // Gone from the table: the sweep closed the connection, so what arrived is only a part.
        let cutOff = reads.withLock { $0.started.removeValue(forKey: id) == nil }
        if cutOff { throw BodyDeadlinePassed() }
        return try outcome.get()
    }

    /// Closes the connections of the reads started more than `limit` before `now`.
    func sweep(now: ContinuousClock.Instant = .now) {
        guard let limit else { return }
        let late = reads.withLock { reads in
            let late = reads.started.filter { now - $0.value.at > limit }
            for id in late.keys { reads.started[id] = nil }
            return late.values.map(\.channel)
        }
        for channel in late { channel.close(promise: nil) }
    }

    /// Sweeps four times per limit (at most once a second) until the graceful shutdown; without a
    /// limit it only waits for it (a service that returns early stops the whole daemon).
    public func run() async throws {
        guard let limit else {
            try? await gracefulShutdown()
            return
        }
        let interval = min(limit / 4, .seconds(1))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                self.sweep()
            }
        }
    }
}

/// The body of a delivery did not arrive within `ingest.body_timeout`.
struct BodyDeadlinePassed: Error {}

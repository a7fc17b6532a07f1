import Hummingbird
import NIOCore
import Synchronization

/// The body of a delivery did not arrive within `ingest.body_timeout`.
struct BodyDeadlinePassed: Error {}

extension RequestBody {
    /// The whole body, up to `maxSize` bytes, if it arrives within `deadline` (`nil`: no limit).
    ///
    /// The idle timeout closes a connection that sends nothing; this one bounds a client that sends
    /// a byte now and then. Without it, such a client holds its connection (and a descriptor) for as
    /// long as it likes, and a graceful stop waits for it. When the time is up, `channel` is closed
    /// (no answer can be written: closing only the input side does not end the body while the
    /// client keeps sending) and ``BodyDeadlinePassed`` is thrown; `NIOTooManyBytesError` past
    /// `maxSize`.
    func collect(upTo maxSize: Int, within deadline: Duration?, channel: any Channel) async throws -> ByteBuffer {
        guard let deadline else { return try await collect(upTo: maxSize) }
        let passed = DeadlineFlag()
        let timer = Task {
            try await Task.sleep(for: deadline)
            passed.value.withLock { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let body: ByteBuffer
        do {
            body = try await collect(upTo: maxSize)
        } catch {
            if passed.value.withLock({ $0 }) { throw BodyDeadlinePassed() }
            throw error
        }
        timer.cancel()
        // Once the input is closed, what was collected is only the part that had arrived.
        if passed.value.withLock({ $0 }) { throw BodyDeadlinePassed() }
        return body
    }
}

/// Set by the timer of ``RequestBody/collect(upTo:within:channel:)`` when the deadline passes.
private final class DeadlineFlag: Sendable {
    let value = Mutex(false)
}

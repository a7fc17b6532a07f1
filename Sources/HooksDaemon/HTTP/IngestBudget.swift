import Synchronization

/// The bytes of delivery bodies the daemon holds at once (`ingest.max_buffered_bytes`).
///
/// A delivery reserves the memory of its body before it reads into it (all of a declared
/// `Content-Length` at once, a chunked body as its buffer grows) and gives it back when it has
/// been answered. A reservation that does not fit is refused, so however many clients send bodies
/// without ever finishing them or signing them, the daemon holds at most `limit` bytes for them.
/// `ingest_buffered_bytes` reports what is held, `ingest_budget_refusals_total` the refusals.
package final class IngestBudget: Sendable {
    /// The most bytes held at once.
    package let limit: Int
    private let metrics: DaemonMetrics
    private let held = Mutex(0)

    package init(limit: Int, metrics: DaemonMetrics) {
        self.limit = limit
        self.metrics = metrics
    }

    /// Runs `body` with a reservation that starts empty and is given back, whatever it holds, when
    /// `body` returns or throws (the client went away, the task was cancelled).
    package func withReservation<Value>(
        _ body: (inout Reservation) async throws -> Value
    ) async throws -> Value {
        var reservation = Reservation(budget: self)
        defer { release(reservation.bytes) }
        return try await body(&reservation)
    }

    /// What one delivery holds of the budget.
    package struct Reservation: ~Copyable {
        fileprivate let budget: IngestBudget
        /// The bytes reserved so far.
        package private(set) var bytes = 0

        /// Reserves up to `total` bytes in all; `false`, reserving nothing more, when they do not
        /// fit.
        package mutating func grow(to total: Int) -> Bool {
            guard total > bytes else { return true }
            guard budget.reserve(total - bytes) else {
                budget.metrics.ingestBudgetRefused()
                return false
            }
            bytes = total
            return true
        }
    }

    private func reserve(_ count: Int) -> Bool {
        held.withLock { held in
            guard count <= limit - held else { return false }
            held += count
            metrics.setIngestBuffered(bytes: held)
            return true
        }
    }

    private func release(_ count: Int) {
        guard count > 0 else { return }
        held.withLock { held in
            held -= count
            metrics.setIngestBuffered(bytes: held)
        }
    }
}

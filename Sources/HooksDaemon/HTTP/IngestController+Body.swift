import ArtifactoryEvents
import Hummingbird
import HummingbirdCore
import NIOCore

extension IngestController {
    /// Reads a delivery's body within `ingest.max_body_bytes` and `reservation`, passing each
    /// piece to `check` as it arrives.
    ///
    /// A declared `Content-Length` is reserved whole before anything is read; a chunked body
    /// reserves as its buffer grows. Throws ``IngestError`` `body_too_large` past the size limit,
    /// `over_budget` when the reservation does not fit, and whatever reading the body throws.
    func readBody(
        _ body: RequestBody, declaredLength: Int?, check: SignatureCheck,
        into reservation: inout IngestBudget.Reservation
    ) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        if let declaredLength {
            guard reservation.grow(to: declaredLength) else { throw IngestError.overBudget }
            bytes.reserveCapacity(declaredLength)
        }
        for try await piece in body {
            let total = bytes.count + piece.readableBytes
            guard total <= ingest.maxBodyBytes else { throw IngestError.tooLarge(limit: ingest.maxBodyBytes) }
            if total > bytes.capacity {
                let capacity = min(max(total, bytes.capacity * 2), ingest.maxBodyBytes)
                guard reservation.grow(to: capacity) else { throw IngestError.overBudget }
                bytes.reserveCapacity(capacity)
            }
            piece.withUnsafeReadableBytes { raw in
                check.update(raw)
                bytes.append(contentsOf: raw)
            }
        }
        return bytes
    }
}

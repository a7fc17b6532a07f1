import ArtifactoryEvents
import Foundation
import Logging
import Storage

extension IngestController {
    /// Stores `body`, a failed delivery to endpoint `name` that catch-up read back from
    /// Artifactory, exactly as a delivery to that endpoint is stored (size limit, dedup, `accept:`,
    /// loop guard, rules, group commit), recorded as ``EventArrival/catchUp``.
    ///
    /// `firstSent` is when Artifactory first tried to deliver it: a delivery of the same bytes
    /// received since then (less a minute for clock skew) makes it a duplicate, whatever
    /// `ingest.dedup_window` says, since that delivery is this one.
    ///
    /// Throws ``IngestError`` like a delivery: `badEvent`, `tooLarge` for a body the endpoint
    /// refuses; `storeFull`, `storeUnavailable` when nothing can be stored now.
    func catchUp(_ body: [UInt8], endpoint name: String, firstSent: Date?, logger: Logger) async throws
        -> Acknowledgement
    {
        guard let endpoint = endpoints[name] else { throw IngestError.unknownEndpoint(name) }
        guard body.count <= ingest.maxBodyBytes else { throw IngestError.tooLarge(limit: ingest.maxBodyBytes) }
        if capacity.isFull { throw IngestError.storeFull }
        let now = clock.now
        var window = ingest.dedupWindow
        if let firstSent {
            let since = Duration.seconds(max(0, now.timeIntervalSince(firstSent)) + 60)
            window = max(window, since)
        }
        return try await accept(
            body, endpoint: endpoint, source: nil, receivedAt: now, arrival: .catchUp, dedupWindow: window,
            logger: logger)
    }
}

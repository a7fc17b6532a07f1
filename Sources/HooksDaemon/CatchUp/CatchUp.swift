import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
public import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Storage

/// Reads the failed deliveries of the configured subscriptions back from Artifactory's webhook
/// troubleshooting store and stores each through the ingest path of the endpoint it was meant
/// for (docs/operations.md, "Catch-up").
///
/// Per subscription, one run takes the lease in the store (``CatchUpLedger``), reads the records
/// from the checkpoint to five minutes ago in pages, passes over successes and further records of an
/// event read already, stores each failed delivery's exact body as ``EventArrival/catchUp``, and
/// moves the checkpoint after each page has been stored. A dry run reads and counts, and stores
/// nothing (checkpoints included).
public struct CatchUp: Sendable {
    let subscriptions: [DaemonConfig.Subscription]
    let client: ArtifactoryClient
    let ledger: any CatchUpLedger
    let ingest: IngestController
    let metrics: DaemonMetrics
    let clock: any DaemonClock
    let logger: Logger
    /// Who holds the leases this value takes.
    let owner = "catch-up-" + UUID().uuidString
    /// The largest record read: twice the largest body (JSON escapes the payload) and 64 KiB.
    let maxRecordBytes: Int

    /// Records asked for per request.
    static let pageSize = 200
    /// How far behind now a run stops (five minutes): a record is written when its delivery's
    /// retries have ended, which can be minutes after the time it carries.
    static let settle: Int64 = 300_000
    /// How long a lease lasts without a page being stored. A daemon killed mid-run holds its
    /// leases this long; ``CatchUpService`` runs again then instead of at the next interval.
    static let lease = Duration.seconds(60)

    init(
        subscriptions: [DaemonConfig.Subscription], client: ArtifactoryClient, ledger: any CatchUpLedger,
        ingest: IngestController, metrics: DaemonMetrics, clock: any DaemonClock, logger: Logger
    ) {
        self.subscriptions = subscriptions
        self.client = client
        self.ledger = ledger
        self.ingest = ingest
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.maxRecordBytes = 2 * ingest.ingest.maxBodyBytes + 64 * 1024
    }

    /// Catches every subscription up once; `since` reads from that time instead of the checkpoint.
    /// Logs one warning when Artifactory's store cannot be read, and never throws.
    public func run(since: Date? = nil, dryRun: Bool = false) async -> [CatchUpReport] {
        var reports: [CatchUpReport] = []
        for subscription in subscriptions {
            var report = CatchUpReport(subscription: subscription.key, endpoint: subscription.endpoint)
            // The store is the platform's, not the subscription's: one refusal speaks for all.
            if let refused = reports.last, case .unavailable = refused.state {
                report.state = refused.state
            } else if !Task.isShuttingDownGracefully {
                await catchUp(subscription, since: since, dryRun: dryRun, into: &report)
            }
            reports.append(report)
        }
        log(reports)
        return reports
    }

    private func catchUp(
        _ subscription: DaemonConfig.Subscription, since: Date?, dryRun: Bool, into report: inout CatchUpReport
    ) async {
        let now = clock.now
        let end = Self.milliseconds(now) - Self.settle
        var start: Int64
        do {
            switch try await ledger.claimCatchUp(
                subscription: subscription.key, owner: owner, now: now, until: now + Self.lease.timeInterval)
            {
            case .held:
                report.state = .busy
                return
            case .taken(let checkpoint):
                start = since.map(Self.milliseconds) ?? checkpoint ?? 0
            }
        } catch {
            report.state = .stopped("the event store: \(error)")
            return
        }
        var pass = Pass(subscription: subscription, dryRun: dryRun)
        do {
            while start < end, !Task.isShuttingDownGracefully {
                let next = try await readPage(from: start, to: end, pass: &pass, report: &report)
                if !dryRun {
                    let until = clock.now + Self.lease.timeInterval
                    guard
                        try await ledger.advanceCatchUp(
                            subscription: subscription.key, owner: owner, checkpoint: next, until: until)
                    else {
                        report.state = .stopped("another daemon took the lease")
                        break
                    }
                    report.checkpoint = next
                }
                start = next
            }
        } catch let error as ArtifactoryAPIError {
            if let refusal = CatchUpRefusal.explain(error) {
                metrics.catchUpFailed(reason: refusal.reason)
                report.state = .unavailable(refusal.message)
            } else {
                metrics.catchUpFailed(reason: "error")
                report.state = .stopped("reading Artifactory's troubleshooting data: \(error)")
            }
        } catch {
            metrics.catchUpFailed(reason: "error")
            report.state = .stopped("\(error)")
        }
        try? await ledger.releaseCatchUp(subscription: subscription.key, owner: owner)
    }

    /// What one subscription's run has read so far.
    struct Pass {
        let subscription: DaemonConfig.Subscription
        let dryRun: Bool
        /// The bodies read in this run (Artifactory's retries carry the same bytes).
        var seen: Set<EventFingerprint> = []
        /// The records of the last page at its last timestamp, which the next page reads again.
        var boundary: Set<TroubleshootingRecord> = []
    }

    /// Reads and stores the records from `start` (inclusive) to `end` (exclusive), at most a page;
    /// returns where the next page starts (`end` once all are read).
    private func readPage(from start: Int64, to end: Int64, pass: inout Pass, report: inout CatchUpReport)
        async throws -> Int64
    {
        let (records, full) = try await fetch(from: start, to: end, count: Self.pageSize, pass: pass, report: &report)
        for record in records where !pass.boundary.contains(record) {
            try await take(record, pass: &pass, report: &report)
        }
        guard full else { return end }
        let last = records.compactMap(\.timestamp).max() ?? start
        if last > start {
            // More may follow: the next page starts at this one's last time and passes over the
            // records at that time that this one read.
            pass.boundary = Set(records.filter { $0.timestamp == last })
            return min(last, end)
        }
        // A whole page in one millisecond: time cannot page further, so read that millisecond
        // whole (Artifactory keeps at most ``storeCapacity`` records) and go on after it.
        let (all, _) = try await fetch(
            from: start, to: start + 1, count: Self.storeCapacity, pass: pass, report: &report)
        let read = Set(records).union(pass.boundary)
        for record in all where !read.contains(record) {
            try await take(record, pass: &pass, report: &report)
        }
        pass.boundary = []
        return min(start + 1, end)
    }

    /// The most records Artifactory's troubleshooting store keeps.
    static let storeCapacity = 10_000

    /// The records from `start` to `end`, at most `count`, and whether the answer was full (so
    /// more may follow). Records over the size limit are counted as refused and passed over.
    private func fetch(
        from start: Int64, to end: Int64, count: Int, pass: Pass, report: inout CatchUpReport
    ) async throws -> (records: [TroubleshootingRecord], full: Bool) {
        let request = ArtifactoryRequest.troubleshooting(
            subscription: pass.subscription.key, start: start, end: end, count: count)
        var stream = TroubleshootingStream(maxRecordBytes: maxRecordBytes)
        var records: [TroubleshootingRecord] = []
        _ = try await client.stream(request) { chunk in
            records += stream.append(chunk.readableBytesView)
        }
        stream.finish()
        if stream.oversizedRecords > 0 {
            report.records += stream.oversizedRecords
            report.refused += stream.oversizedRecords
            metrics.caughtUp(
                endpoint: pass.subscription.endpoint, outcome: .refused, count: stream.oversizedRecords)
            logger.warning(
                "Catch-up passed over troubleshooting records larger than the limit; their events are not stored",
                metadata: [
                    "subscription": .string(pass.subscription.key),
                    "catch_up.oversized": .stringConvertible(stream.oversizedRecords),
                    "catch_up.max_record_bytes": .stringConvertible(maxRecordBytes),
                ])
        }
        if let failure = stream.failure { throw CatchUpStreamError(failure: failure) }
        return (records, records.count + stream.oversizedRecords >= count)
    }

    /// Stores one record's body unless it is a success, a retry, or not an event.
    private func take(_ record: TroubleshootingRecord, pass: inout Pass, report: inout CatchUpReport) async throws {
        let endpoint = pass.subscription.endpoint
        report.records += 1
        if record.delivered {
            report.delivered += 1
            metrics.caughtUp(endpoint: endpoint, outcome: .delivered)
            return
        }
        guard let payload = record.payload else {
            refuse(record, code: "no_payload", pass: pass, report: &report)
            return
        }
        guard pass.seen.insert(EventFingerprint(endpoint: endpoint, body: payload)).inserted else {
            report.retries += 1
            metrics.caughtUp(endpoint: endpoint, outcome: .retry)
            return
        }
        if pass.dryRun {
            report.accepted += 1
            return
        }
        do {
            let stored = try await ingest.catchUp(
                payload, endpoint: endpoint, firstSent: record.timestamp.map(Self.date), logger: logger)
            if stored.duplicate { report.duplicates += 1 } else { report.accepted += 1 }
        } catch let error as IngestError where !Self.stopping.contains(error.code) {
            refuse(record, code: error.code, pass: pass, report: &report)
        }
    }

    /// Ingest errors that stop the run (nothing can be stored now); any other refuses one record.
    static let stopping: Set<String> = [IngestError.storeFull.code, IngestError.storeUnavailable.code]

    private func refuse(
        _ record: TroubleshootingRecord, code: String, pass: Pass, report: inout CatchUpReport
    ) {
        report.refused += 1
        metrics.caughtUp(endpoint: pass.subscription.endpoint, outcome: .refused)
        logger.warning(
            "Catch-up refused a troubleshooting record that is not an event the endpoint takes",
            metadata: [
                "subscription": .string(pass.subscription.key), "endpoint": .string(pass.subscription.endpoint),
                "error.code": .string(code), "catch_up.timestamp": .stringConvertible(record.timestamp ?? 0),
                "catch_up.event_id": .string(record.eventID ?? "-"),
            ])
    }

    private func log(_ reports: [CatchUpReport]) {
        var warned = false
        for report in reports {
            let metadata: Logger.Metadata = [
                "subscription": .string(report.subscription), "catch_up.records": .stringConvertible(report.records),
                "catch_up.new": .stringConvertible(report.accepted),
                "catch_up.duplicates": .stringConvertible(report.duplicates),
            ]
            switch report.state {
            case .done where report.accepted > 0:
                logger.info("Caught up failed deliveries", metadata: metadata)
            case .done, .busy:
                logger.debug("Catch-up run", metadata: metadata)
            case .unavailable(let why):
                if !warned {
                    logger.warning(
                        "Catch-up cannot read Artifactory's webhook troubleshooting store; trying again at the next run",
                        metadata: ["catch_up.problem": .string(why)])
                }
                warned = true
            case .stopped(let why):
                var metadata = metadata
                metadata["catch_up.problem"] = .string(why)
                logger.warning("Catch-up stopped; the next run goes on from the checkpoint", metadata: metadata)
            }
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

/// The troubleshooting stream could not be read on (not a stream of JSON records).
struct CatchUpStreamError: Error, CustomStringConvertible {
    let failure: TroubleshootingStream.Failure
    var description: String { failure.description }
}

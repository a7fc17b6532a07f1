import Foundation
import Rules
import Storage

/// The overview: did events stop arriving or did calls start failing, and since when.
extension StatusPage {
    struct Overview {
        struct Number {
            var value: String
            var label: String
            var href: String
            var alert: Bool
        }
        struct CatchUpRow {
            var subscription: String
            var checkpoint: String
            var owner: String
        }
        struct Reload {
            var at: String
            var ok: Bool
            var count: Int
            var errors: [String]
        }
        var numbers: [Number]
        var eventsChart: String
        var attemptsChart: String
        var reload: Reload
        var hasCatchUp: Bool
        var catchUp: [CatchUpRow]
    }

    /// The last 24 hours in minutes.
    static let chartBuckets = 1440

    func overview() async throws -> Overview {
        let now = self.now()
        let since = now.addingTimeInterval(-Double(Self.chartBuckets) * 60)
        // Whole minutes: the first bucket starts on a minute boundary.
        let chartStart = Date(timeIntervalSince1970: (since.timeIntervalSince1970 / 60).rounded(.up) * 60)
        // The 24 hours' totals come from the chart's rows: `status` is asked only for what it
        // reads from small tables and indexes (its per-kind count of a period scans the period).
        async let statusRead = store.status(since: now)
        async let eventsRead = store.eventActivity(since: chartStart, bucket: .seconds(60))
        async let attemptsRead = store.attemptActivity(since: chartStart, bucket: .seconds(60))
        async let sizeRead = store.storeSize()
        async let checkpointsRead = store.catchUpCheckpoints()
        let (status, events, attempts, size, checkpoints) = try await (
            statusRead, eventsRead, attemptsRead, sizeRead, checkpointsRead
        )

        func spread<Row>(_ rows: [Row], _ start: (Row) -> Date, _ count: (Row) -> Int) -> [Int] {
            ActivityChart.spread(rows, start: start, count: count, now: now, buckets: Self.chartBuckets, width: 60)
        }
        let eventsChart = ActivityChart(
            buckets: Self.chartBuckets,
            series: [
                .init(cssClass: "stored", label: "stored", counts: spread(events, \.start, \.stored)),
                .init(cssClass: "self", label: "self-caused", counts: spread(events, \.start, \.selfCaused)),
                .init(cssClass: "duplicate", label: "duplicate", counts: spread(events, \.start, \.duplicates)),
            ])
        let attemptsChart = ActivityChart(
            buckets: Self.chartBuckets,
            series: [
                .init(cssClass: "done", label: "done", counts: spread(attempts, \.start, \.done)),
                .init(cssClass: "retry", label: "retried", counts: spread(attempts, \.start, \.retried)),
                .init(cssClass: "dead", label: "dead", counts: spread(attempts, \.start, \.dead)),
                .init(cssClass: "skipped", label: "skipped", counts: spread(attempts, \.start, \.skipped)),
            ])

        let received = events.reduce(0) { $0 + $1.stored + $1.selfCaused }
        let duplicates = events.reduce(0) { $0 + $1.duplicates }
        let backlog = StoredJob.State.unfinishedCount(status.jobsByState)
        var numbers: [Overview.Number] = [
            .init(value: "\(received)", label: "events, last 24 h", href: "/ui/events?since=24h", alert: false),
            .init(
                value: "\(duplicates)", label: "duplicates, last 24 h", href: "/ui/events?since=24h",
                alert: false),
            .init(value: "\(backlog)", label: "jobs waiting or running", href: "/ui/jobs?state=pending", alert: false),
            .init(
                value: "\(status.jobsByState[.failed, default: 0])", label: "jobs failed, to be retried",
                href: "/ui/jobs?state=failed", alert: false),
            .init(
                value: "\(status.deadLetters)", label: "dead letters", href: "/ui/jobs?state=dead",
                alert: status.deadLetters > 0),
        ]
        if let oldest = status.oldestUnfinishedJob {
            let age = StatusReport.age(max(0, Int(now.timeIntervalSince(oldest.createdAt))))
            numbers.append(
                .init(
                    value: age, label: "oldest waiting job (\(oldest.id))", href: "/ui/jobs/\(oldest.id)",
                    alert: now.timeIntervalSince(oldest.createdAt) > 3600))
        } else {
            numbers.append(
                .init(value: "none", label: "oldest waiting job", href: "/ui/jobs?state=pending", alert: false))
        }
        numbers.append(
            .init(
                value: "\(status.deferredEvents)", label: "events deferred (backpressure)", href: "/ui/events",
                alert: status.deferredEvents > 0))
        numbers.append(.init(value: "\(status.totalEvents)", label: "events stored", href: "/ui/events", alert: false))
        numbers.append(
            .init(value: StatusReport.bytes(Int64(size)), label: "store size", href: "/ui/events", alert: false))

        let reload = rules.lastReload
        let catchUp = checkpoints.map { checkpoint in
            Overview.CatchUpRow(
                subscription: EventTable.shown(checkpoint.subscription),
                checkpoint: checkpoint.checkpoint.map {
                    EventTable.timestamp(Date(timeIntervalSince1970: Double($0) / 1000))
                } ?? "not yet",
                owner: checkpoint.leaseExpiresAt.map { $0 > now } == true
                    ? EventTable.shown(checkpoint.leaseOwner ?? "") : "-")
        }
        return Overview(
            numbers: numbers, eventsChart: eventsChart.html, attemptsChart: attemptsChart.html,
            reload: .init(
                at: EventTable.timestamp(reload.at), ok: reload.errors.isEmpty, count: rules.current.enabledCount,
                errors: reload.errors.map(EventTable.shown)),
            hasCatchUp: !catchUp.isEmpty, catchUp: catchUp)
    }
}

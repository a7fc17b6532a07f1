import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

/// Events written straight into a daemon's store, with the receive time a test needs.
enum StoreSeed {
    /// Stores one artifact.deployed event for `path`, received `age` ago, with `jobs` pending jobs.
    @discardableResult
    static func event(
        in store: some EventStore, path: String, age: TimeInterval, jobs: Int = 0
    ) async throws -> Int64 {
        let body = Array(DeliveryHarness.deployed(path).utf8)
        let new = NewEvent(
            receivedAt: Date().addingTimeInterval(-age), endpoint: "main", event: try WebhookEvent(body: body),
            body: body, sourceAddress: nil)
        let plan = EventPlan(
            jobs: (0..<jobs).map {
                NewJob(
                    rule: "seed", actionIndex: $0, kind: "set_properties", subject: "artifact:libs/\(path)",
                    request: "{}")
            })
        return try await store.insert(new, dedupWindow: .zero) { _, _ in plan }.eventID
    }

    static let day: TimeInterval = 86400
}

@Suite("Retention", .timeLimit(.minutes(1)))
struct RetentionTests {
    @Test("the retention service deletes old settled events in batches; recent ones and unfinished jobs stay")
    func servicePrunes() async throws {
        // Given: five settled events 40 days old, one as old with a job still pending, one recent.
        let daemon = try TestDaemon(storeKeys: "retention: 30d\nretention_batch: 2\nretention_interval: 1h")
        defer { daemon.directory.remove() }
        let config = try daemon.config()
        #expect(config.retention == DaemonConfig.Retention(maxAge: .seconds(30 * 86400), batchSize: 2))
        let store = try await daemon.openStore()
        for index in 0..<5 {
            try await StoreSeed.event(in: store, path: "old/\(index).jar", age: 40 * StoreSeed.day)
        }
        let pending = try await StoreSeed.event(in: store, path: "old/pending.jar", age: 40 * StoreSeed.day, jobs: 1)
        let recent = try await StoreSeed.event(in: store, path: "new/a.jar", age: 60)
        try await store.close()

        // When: the daemon runs (a pass starts at once).
        let admin = AdminListener()
        let app = try await buildApplication(config: config, logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { _ in
            let metrics = try await admin.scrape { $0.value("artifactory_hooks_pruned_events_total") == 5 }
            #expect(metrics.value("artifactory_hooks_pruned_events_total") == 5)
            // Then: only the event with unfinished work and the recent one are left.
            #expect(try await daemon.storedEvents().map(\.id) == [pending, recent])
        }
    }

    @Test("the cutoff and the interval run on the daemon's clock")
    func onTheClock() async throws {
        // Given: a settled event 20 days old, kept 30 days.
        let daemon = try TestDaemon(storeKeys: "retention: 30d\nretention_interval: 1h")
        defer { daemon.directory.remove() }
        let config = try daemon.config()
        let store = try await daemon.openStore()
        let event = try await StoreSeed.event(in: store, path: "old/a.jar", age: 20 * StoreSeed.day)
        try await store.close()
        let clock = ManualClock()
        let admin = AdminListener()
        let app = try await buildApplication(
            config: config, logger: TestDaemon.logger, clock: clock, onAdminListening: admin.bound)
        try await app.test(.live) { _ in
            // When: the first pass has run and the service waits an hour on the clock.
            await clock.untilSleeping(for: .seconds(3600))
            // Then: the event is kept, until the clock has moved 11 days on and the next pass runs.
            #expect(try await daemon.storedEvents().map(\.id) == [event])
            clock.advance(by: .seconds(11 * 86400))
            _ = try await admin.scrape { $0.value("artifactory_hooks_pruned_events_total") == 1 }
            #expect(try await daemon.storedEvents().isEmpty)
        }
    }

    @Test("store.retention: off keeps everything")
    func retentionOff() async throws {
        let daemon = try TestDaemon(storeKeys: "retention: off")
        defer { daemon.directory.remove() }
        #expect(try daemon.config().retention.maxAge == nil)
        let store = try await daemon.openStore()
        try await StoreSeed.event(in: store, path: "old/a.jar", age: 400 * StoreSeed.day)
        try await store.close()
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { _ in
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await daemon.storedEvents().count == 1)
        }
    }
}

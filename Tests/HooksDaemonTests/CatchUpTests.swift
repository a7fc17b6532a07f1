import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing

/// Catch-up against the simulator's troubleshooting store: the daemon's start-up run, the
/// `catch-up` command's run (``CatchUp/runOnce(config:store:since:dryRun:logger:)``), checkpoints,
/// duplicates, refusals and a store Artifactory does not have.
@Suite("Catch-up of failed deliveries", .timeLimit(.minutes(3)))
struct CatchUpTests {
    static let subscription = "hooks-deploys"

    /// The config's `subscriptions:` and `catch_up:` sections (and more top-level YAML).
    static func extra(interval: String, more: String = "") -> String {
        """
        subscriptions:
          public_url: https://hooks.example.com
          webhooks:
            - key: \(subscription)
              endpoint: main
              domain: artifact
              event_types: [deployed]
              criteria: { any_local: true }
        catch_up:
          interval: \(interval)
        \(more)
        """
    }

    /// Ten minutes ago, in Unix milliseconds, plus `offset`.
    static func past(_ offset: Int64 = 0) -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) - 600_000 + offset
    }

    static func failed(_ body: String, at timestamp: Int64, id: String, status: Int? = 503) -> SimulatedDeliveryRecord {
        .failed(
            timestamp: timestamp, subscriptionKey: subscription, targetURL: "https://hooks.example.com/webhooks/main",
            payload: body, status: status, eventID: id)
    }

    /// A simulator and a daemon config calling it; `body` runs with both, the daemon not started.
    static func withSimulator(
        interval: String, more: String = "", store: String = "sqlite: var/events.sqlite",
        _ body: @Sendable (ArtifactorySimulator, TestDaemon) async throws -> Void
    ) async throws {
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: DeliveryHarness.tagOnDeployRules, worker: "backoff_base: 100ms",
                token: DeliveryHarness.token,
                extra: extra(interval: interval, more: more), store: store)
            defer { daemon.directory.remove() }
            try await body(simulator, daemon)
        }
    }

    /// Runs the daemon built from `daemon`'s config while `body` runs.
    static func serving(
        _ daemon: TestDaemon, admin: AdminListener = AdminListener(), clock: any DaemonClock = SystemClock(),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, clock: clock, onAdminListening: admin.bound)
        try await app.test(.live) { client in try await body(client) }
    }

    /// One catch-up run as the command makes it.
    static func runOnce(_ daemon: TestDaemon, since: Date? = nil, dryRun: Bool = false) async throws
        -> CatchUpReport
    {
        let config = try daemon.config()
        let reports = try await withExistingStore(config.store, logger: TestDaemon.logger) { store in
            try await CatchUp.runOnce(
                config: config, store: store, since: since, dryRun: dryRun, logger: TestDaemon.logger)
        }
        return try #require(reports.first)
    }

    @Test(
        "100 failed deliveries: the start-up run stores each once as catch-up and plans its rule; a restart repeats none"
    )
    func startUpCatchesUp() async throws {
        try await Self.withSimulator(interval: "1h") { simulator, daemon in
            // Given 100 failed deliveries, three retries of the first, and one that succeeded.
            for index in 0..<100 {
                let body = DeliveryHarness.deployed("com/acme/a\(index).jar")
                simulator.state.recordDelivery(Self.failed(body, at: Self.past(Int64(index) * 10), id: "e\(index)"))
            }
            let first = DeliveryHarness.deployed("com/acme/a0.jar")
            for retry in 1...3 {
                simulator.state.recordDelivery(Self.failed(first, at: Self.past(Int64(retry)), id: "e0"))
            }
            simulator.state.recordDelivery(
                Self.failed(DeliveryHarness.deployed("com/acme/arrived.jar"), at: Self.past(5), id: "ok", status: 200)
                    .succeeded)

            // When the daemon starts.
            let admin = AdminListener()
            try await Self.serving(daemon, admin: admin) { _ in
                let events = try await daemon.waitForEvents(seconds: 10) { $0.count >= 100 }
                // Then every failed delivery is one event, caught up, with its job planned.
                #expect(events.count == 100)
                #expect(events.allSatisfy { $0.arrival == .catchUp && $0.duplicateOf == nil && $0.endpoint == "main" })
                #expect(Set(events.compactMap(\.path)).count == 100)
                #expect(!events.contains { $0.path == "com/acme/arrived.jar" })
                let store = try await daemon.openStore()
                for event in events.prefix(5) { #expect(try await store.jobs(forEvent: event.id).count == 1) }
                try await store.close()
                let metrics = try await admin.scrape {
                    $0.value(
                        "artifactory_hooks_catch_up_records_total", ["endpoint": "main", "outcome": "accepted"]) == 100
                }
                #expect(metrics.value("artifactory_hooks_catch_up_records_total", ["outcome": "retry"]) == 3)
                #expect(metrics.value("artifactory_hooks_catch_up_records_total", ["outcome": "delivered"]) == 1)
            }

            // A restart ten minutes later reads from the checkpoint: only the one new failure,
            // recorded after the first run had read up to a minute before its start, is stored.
            simulator.state.recordDelivery(
                Self.failed(DeliveryHarness.deployed("com/acme/late.jar"), at: Self.past(600_000), id: "late"))
            try await Self.serving(daemon, clock: ManualClock(start: Date().addingTimeInterval(600))) { _ in
                let events = try await daemon.waitForEvents(seconds: 10) {
                    $0.contains { $0.path == "com/acme/late.jar" }
                }
                #expect(events.count == 101)
                #expect(events.allSatisfy { $0.duplicateOf == nil })
            }
        }
    }

    @Test("a body that arrived is a duplicate that plans nothing; a second run reads nothing again")
    func arrivedBodiesAreDuplicates() async throws {
        try await Self.withSimulator(interval: "0") { simulator, daemon in
            try await Self.serving(daemon) { client in
                // Given a delivery that arrived, though Artifactory recorded it as failed (a timeout).
                let body = DeliveryHarness.deployed("com/acme/timeout.jar")
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(Array(body.utf8)),
                    body: ByteBuffer(string: body))
                #expect(response.status == .accepted)
                simulator.state.recordDelivery(Self.failed(body, at: Self.past(), id: "t", status: nil))
                simulator.state.recordDelivery(
                    Self.failed(DeliveryHarness.deployed("com/acme/missed.jar"), at: Self.past(1), id: "m"))

                let report = try await Self.runOnce(daemon)
                #expect(report.state == .done)
                #expect(report.records == 2 && report.accepted == 1 && report.duplicates == 1)
                let events = try await daemon.storedEvents()
                let duplicate = try #require(events.first { $0.duplicateOf != nil })
                #expect(duplicate.arrival == .catchUp && duplicate.duplicateOf == events[0].id)
                let store = try await daemon.openStore()
                #expect(try await store.jobs(forEvent: duplicate.id).isEmpty)
                try await store.close()
                // events list and show say how each arrived.
                let missed = try #require(events.last)
                #expect(missed.arrival == .catchUp && missed.duplicateOf == nil)
                #expect(EventTable.detail(missed).contains("arrival:       catch-up"))
                #expect(!EventTable.detail(events[0]).contains("arrival:"))
                let rows = EventTable.text(events).split(separator: "\n")
                #expect(rows[1].contains("main ") && !rows[1].contains("catch-up"))
                #expect(rows[3].contains("main (catch-up)"))
                #expect(try EventTable.json([missed]).contains(#""arrival" : "catch-up""#))

                // The checkpoint: a second run reads no record again.
                let again = try await Self.runOnce(daemon)
                #expect(again.state == .done && again.records == 0)
                #expect(try await daemon.storedEvents().count == 3)
            }
        }
    }

    @Test("--dry-run counts and stores nothing, not even the checkpoint; --since reads again")
    func dryRunAndSince() async throws {
        try await Self.withSimulator(interval: "0") { simulator, daemon in
            for index in 0..<3 {
                simulator.state.recordDelivery(
                    Self.failed(DeliveryHarness.deployed("d\(index).jar"), at: Self.past(Int64(index)), id: "d\(index)")
                )
            }
            try await Self.serving(daemon) { _ in
                let dry = try await Self.runOnce(daemon, dryRun: true)
                #expect(dry.state == .done && dry.accepted == 3 && dry.checkpoint == nil)
                #expect(try await daemon.storedEvents().isEmpty)

                let real = try await Self.runOnce(daemon)
                #expect(real.accepted == 3)
                // Read again from an hour ago: the same bodies, now duplicates.
                let since = try await Self.runOnce(daemon, since: Date().addingTimeInterval(-3600))
                #expect(since.records == 3 && since.duplicates == 3 && since.accepted == 0)
            }
        }
    }

    @Test("250 failed deliveries in one millisecond (more than a page) are all caught up, each once")
    func onePageInOneMillisecond() async throws {
        try await Self.withSimulator(interval: "0") { simulator, daemon in
            let moment = Self.past()
            for index in 0..<250 {
                simulator.state.recordDelivery(
                    Self.failed(DeliveryHarness.deployed("ms\(index).jar"), at: moment, id: "ms\(index)"))
            }
            simulator.state.recordDelivery(
                Self.failed(DeliveryHarness.deployed("after.jar"), at: moment + 5, id: "after"))
            try await Self.serving(daemon) { _ in
                let report = try await Self.runOnce(daemon)
                #expect(report.state == .done)
                #expect(report.accepted == 251 && report.duplicates == 0, "\(report)")
                let events = try await daemon.storedEvents()
                #expect(events.count == 251)
                #expect(Set(events.map { String(decoding: $0.body, as: UTF8.self) }).count == 251)
            }
        }
    }

    @Test("hostile records: a payload that is not an event and a huge record are refused; the rest is caught up")
    func hostileRecords() async throws {
        try await Self.withSimulator(interval: "0", more: "ingest:\n  max_body_bytes: 4096") { simulator, daemon in
            simulator.state.recordDelivery(Self.failed("not json {", at: Self.past(0), id: "bad"))
            simulator.state.recordDelivery(Self.failed(#"{"data":{}}"#, at: Self.past(1), id: "no-type"))
            let huge = DeliveryHarness.deployed(String(repeating: "x", count: 200_000))
            simulator.state.recordDelivery(Self.failed(huge, at: Self.past(2), id: "huge"))
            for index in 0..<3 {
                simulator.state.recordDelivery(
                    Self.failed(DeliveryHarness.deployed("ok\(index).jar"), at: Self.past(10 + Int64(index)), id: "ok"))
            }
            try await Self.serving(daemon) { _ in
                let report = try await Self.runOnce(daemon)
                #expect(report.state == .done)
                #expect(report.refused == 3 && report.accepted == 3)
                #expect(try await daemon.storedEvents().map(\.path) == ["ok0.jar", "ok1.jar", "ok2.jar"])
            }
        }
    }

    @Test("no troubleshooting store: one warning saying what to enable, the daemon keeps serving")
    func missingStore() async throws {
        try await Self.withSimulator(interval: "1h") { simulator, daemon in
            simulator.state.troubleshootingStore = .missing
            let admin = AdminListener()
            try await Self.serving(daemon, admin: admin) { client in
                _ = try await admin.scrape {
                    $0.value("artifactory_hooks_catch_up_failures_total", ["reason": "unavailable"]) == 1
                }
                let body = DeliveryHarness.deployed("com/acme/live.jar")
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(Array(body.utf8)),
                    body: ByteBuffer(string: body))
                #expect(response.status == .accepted)

                let missing = try await Self.runOnce(daemon)
                guard case .unavailable(let why) = missing.state else {
                    Issue.record("\(missing.state)")
                    return
                }
                #expect(why.contains("Redis"))
                simulator.state.troubleshootingStore = .forbidden
                let forbidden = try await Self.runOnce(daemon)
                #expect(forbidden.state != .done && forbidden.summary.contains("Manage Webhooks"))
            }
        }
    }

    @Test("the catch-up command: --dry-run prints what it would store, a run stores it; a wrong --since is refused")
    func command() async throws {
        try await Self.withSimulator(interval: "0") { simulator, daemon in
            for index in 0..<2 {
                simulator.state.recordDelivery(
                    Self.failed(
                        DeliveryHarness.deployed("cli\(index).jar"), at: Self.past(Int64(index)), id: "c\(index)"))
            }
            _ = try await openStore(try daemon.config().store, logger: TestDaemon.logger).close()
            let dry = try DaemonProcess(["catch-up", "--dry-run", "--config", daemon.configPath])
            #expect(try await dry.waitForExit() == 0)
            #expect(dry.printed.contains("dry run: hooks-deploys (endpoint main): 2 records: 2 new"), "\(dry.printed)")
            #expect(try await daemon.storedEvents().isEmpty)

            let real = try DaemonProcess(["catch-up", "--config", daemon.configPath])
            #expect(try await real.waitForExit() == 0)
            #expect(real.printed.contains("hooks-deploys (endpoint main): 2 records: 2 new"), "\(real.printed)")
            #expect(try await daemon.storedEvents().map(\.arrival) == [.catchUp, .catchUp])

            // From a time before the checkpoint: the same records again, nothing stored.
            let since = try DaemonProcess(
                ["catch-up", "--dry-run", "--since", "2020-01-01T00:00:00Z", "--config", daemon.configPath])
            #expect(try await since.waitForExit() == 0)
            #expect(since.printed.contains("2 records: 2 new"), "\(since.printed)")

            let wrong = try DaemonProcess(["catch-up", "--since", "yesterday-ish", "--config", daemon.configPath])
            #expect(try await wrong.waitForExit() == 1)
            #expect(wrong.printed.contains("--since: expected an ISO 8601 time"))
        }
    }

    @Test(
        "two daemons on one PostgreSQL catch up at once: each record is stored once",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func twoDaemonsOnPostgres() async throws {
        try await Self.withDatabase { database in
            try await Self.withSimulator(interval: "0", store: "postgres: \(database.url)\ntls: disable") {
                simulator, daemon in
                for index in 0..<40 {
                    simulator.state.recordDelivery(
                        Self.failed(
                            DeliveryHarness.deployed("pg\(index).jar"), at: Self.past(Int64(index)), id: "p\(index)"))
                }
                let config = try daemon.config()
                _ = try await openStore(config.store, logger: TestDaemon.logger)
                async let first = Self.runOnce(daemon)
                async let second = Self.runOnce(daemon)
                let reports = try await [first, second]
                let stored = try await withExistingStore(config.store, logger: TestDaemon.logger) { store in
                    try await store.events(matching: EventQuery(limit: 1000))
                }
                #expect(stored.count == 40)
                #expect(stored.allSatisfy { $0.duplicateOf == nil && $0.arrival == .catchUp })
                #expect(reports.map(\.accepted).reduce(0, +) == 40)
                let third = try await Self.runOnce(daemon)
                #expect(third.records == 0)
            }
        }
    }

    @Test(
        "two daemons started on one PostgreSQL: one catches up, every record is stored once",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func twoDaemonsStartOnPostgres() async throws {
        try await Self.withDatabase { database in
            try await Self.withSimulator(interval: "1h", store: "postgres: \(database.url)\ntls: disable") {
                simulator, daemon in
                for index in 0..<40 {
                    simulator.state.recordDelivery(
                        Self.failed(
                            DeliveryHarness.deployed("ha\(index).jar"), at: Self.past(Int64(index)), id: "h\(index)"))
                }
                let (one, two) = (AdminListener(), AdminListener())
                try await Self.serving(daemon, admin: one) { _ in
                    try await Self.serving(daemon, admin: two) { _ in
                        let accepted = "artifactory_hooks_catch_up_records_total"
                        var total = 0.0
                        for _ in 0..<500 {
                            let first = try await one.scrape().value(accepted, ["outcome": "accepted"]) ?? 0
                            let second = try await two.scrape().value(accepted, ["outcome": "accepted"]) ?? 0
                            total = first + second
                            if total >= 40 { break }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(total == 40)
                        let stored = try await withExistingStore(try daemon.config().store, logger: TestDaemon.logger) {
                            try await $0.events(matching: EventQuery(limit: 1000))
                        }
                        #expect(stored.count == 40 && stored.allSatisfy { $0.duplicateOf == nil })
                    }
                }
            }
        }
    }

    /// A fresh PostgreSQL database for `body`, dropped after it.
    static func withDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
        let database = try await TestPostgres.createDatabase()
        do {
            try await body(database)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

extension SimulatedDeliveryRecord {
    /// The same record, as a success (Artifactory's debug mode records those too).
    var succeeded: SimulatedDeliveryRecord {
        var record = self
        record.responseStatus = 200
        record.errors = []
        return record
    }
}

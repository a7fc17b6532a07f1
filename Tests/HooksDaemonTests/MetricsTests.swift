import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing

@Suite("Metrics and the admin listener", .timeLimit(.minutes(1)))
struct MetricsTests {
    static let rules = """
        rules:
          - name: tag
            on: artifact.deployed
            when: { path: "com/acme/**" }
            do:
              - set_properties: { seen: "yes" }
          - name: copy-nowhere
            on: artifact.deployed
            when: { path: "org/dead/**" }
            do:
              - copy: { to: "no-such-repo/{{ data.path }}" }
        """

    @Test("an action that cannot be planned is counted, and logged once per rule every 10 s")
    func planFailuresReported() async throws {
        let rules = """
            rules:
              - name: tag-origin
                on: artifact.deployed
                do:
                  - set_properties: { origin: "{{ event.source }}" }
            """
        let lines = LogLines()
        let logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .warning, output: lines.output)
        }
        try await DeliveryHarness.run(rules: rules, files: ["com/acme/a.jar", "com/acme/b.jar"], logger: logger) {
            harness, client in
            // The deliveries name no `source`: the rule plans nothing for either.
            let first = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let second = try await harness.post(client, DeliveryHarness.deployed("com/acme/b.jar"))
            #expect(first.planned == 0 && second.planned == 0)
            let metrics = try await harness.admin.scrape()
            #expect(metrics.value("artifactory_hooks_plan_failures_total", ["code": "missing_field"]) == 2)
        }
        let warnings = lines.all.filter { $0.contains("could not be planned") }
        #expect(warnings.count == 1, "\(lines.all)")
        for field in ["rule=tag-origin", "rule.action=0", "error.code=missing_field", "event.id=1"] {
            #expect(warnings.first?.contains(field) == true, "\(field) in \(warnings)")
        }
    }

    @Test(
        "a plan is counted once per stored event: not again when its batch is written again, not for a failed or a duplicate delivery"
    )
    func planCountedOncePerStoredEvent() async throws {
        let rules = """
            rules:
              - name: tag-origin
                on: artifact.deployed
                do:
                  - set_properties: { origin: "{{ event.source }}" }
            """
        try await DeliveryHarness.run(rules: rules, files: []) { harness, client in
            // Given: the daemon's database refuses one path, and another connection holds its
            // write lock.
            let breaker = StoreBreaker(path: harness.daemon.databasePath)
            try await breaker.refuseEvents(atPath: "com/acme/refused.jar")
            let lock = try await breaker.holdWriteLock()

            // When: a first delivery waits for the lock in a batch of its own, and two more queue
            // behind it to share the next batch: one whose action cannot be planned (the
            // deliveries name no `source`), then the refused one, which makes the store write that
            // batch again item by item.
            let bodies = ["com/acme/first.jar", "com/acme/second.jar", "com/acme/refused.jar"]
                .map { Array(DeliveryHarness.deployed($0).utf8) }
            let port = try #require(client.port)
            var posts: [Task<Int, any Error>] = []
            var buffered = 0
            for body in bodies {
                // Each on a connection of its own: one connection's requests are served in turn.
                posts.append(
                    Task { try await IngestBudgetTests.post(body, port: port, headers: signedHeaders(body)).status })
                buffered += body.count
                // Read by the daemon (its body is held), and a moment later in the store's queue.
                _ = try await harness.admin.scrape {
                    ($0.value("artifactory_hooks_ingest_buffered_bytes") ?? 0) >= Double(buffered)
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await lock.release()
            var statuses: [Int] = []
            for post in posts { statuses.append(try await post.value) }
            #expect(statuses == [202, 202, 503])
            // A repeat of a stored delivery is a duplicate: it plans nothing.
            let repeated = try await harness.post(client, DeliveryHarness.deployed("com/acme/second.jar"))
            #expect(repeated.duplicate)

            // Then: each stored event's failure is counted once; the refused delivery's not at all.
            let metrics = try await harness.admin.scrape()
            #expect(metrics.value("artifactory_hooks_plan_failures_total", ["code": "missing_field"]) == 2)
        }
    }

    @Test("deliveries, rejections, attempts and dead letters move the counters, with bounded labels")
    func countersMove() async throws {
        try await DeliveryHarness.run(rules: Self.rules, files: ["com/acme/a.jar", "org/dead/b.jar"]) {
            harness, client in
            // Given: a good delivery, its repeat, a dead-letter job, and four refusals.
            let good = DeliveryHarness.deployed("com/acme/a.jar")
            let ack = try await harness.post(client, good)
            #expect(ack.planned == 1)
            #expect(try await harness.post(client, good).duplicate)
            let dead = try await harness.post(client, DeliveryHarness.deployed("org/dead/b.jar"))

            let body = Array(good.utf8)
            let forged = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body, secret: "wrong"),
                body: ByteBuffer(bytes: body))
            #expect(forged.status == .unauthorized)
            let notJSON = Array("not json".utf8)
            let garbage = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(notJSON),
                body: ByteBuffer(bytes: notJSON))
            #expect(garbage.status == .badRequest)
            let unknown = try await client.execute(
                uri: "/webhooks/attacker-chosen-name", method: .post, headers: signedHeaders(body),
                body: ByteBuffer(bytes: body))
            #expect(unknown.status == .notFound)
            let get = try await client.execute(uri: "/webhooks/main", method: .get)
            #expect(get.status == .methodNotAllowed)
            try await harness.waitForJobs(of: ack.event_id)
            try await harness.waitForJobs(of: dead.event_id)

            // When: the admin listener is scraped (once the job gauges caught up).
            let metrics = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "done"]) == 1
                    && $0.value("artifactory_hooks_jobs", ["state": "dead"]) == 1
            }

            // Then: every counter moved once, with the labels it should have.
            let received = "artifactory_hooks_events_received_total"
            #expect(
                metrics.value(
                    received, ["endpoint": "main", "domain": "artifact", "outcome": "accepted", "reason": "none"])
                    == 2)
            #expect(metrics.value(received, ["endpoint": "main", "domain": "artifact", "outcome": "duplicate"]) == 1)
            #expect(
                metrics.value(received, ["endpoint": "main", "outcome": "rejected", "reason": "unauthorized"]) == 1)
            #expect(metrics.value(received, ["endpoint": "main", "outcome": "rejected", "reason": "not_json"]) == 1)
            #expect(
                metrics.value(
                    received, ["endpoint": "main", "outcome": "rejected", "reason": "method_not_allowed"]) == 1)
            #expect(
                metrics.value(
                    received,
                    ["endpoint": "unknown", "domain": "none", "outcome": "rejected", "reason": "unknown_endpoint"])
                    == 1)
            // A name the sender chose never becomes a label value.
            #expect(!metrics.labelSets(received).contains { $0["endpoint"] == "attacker-chosen-name" })

            #expect(metrics.value("artifactory_hooks_ingest_duration_seconds_count") == 6)
            #expect(metrics.value("artifactory_hooks_store_commit_duration_seconds_count") == 3)
            let attempts = "artifactory_hooks_job_attempts_total"
            #expect(metrics.value(attempts, ["outcome": "success", "status_class": "2xx"]) == 1)
            #expect(metrics.value(attempts, ["outcome": "dead", "status_class": "4xx"]) == 1)
            #expect(metrics.value("artifactory_hooks_artifactory_request_duration_seconds_count") == 2)
            #expect(metrics.value("artifactory_hooks_dead_letters_total") == 1)
            #expect(metrics.value("artifactory_hooks_rules_loaded") == 2)
            #expect(metrics.value("artifactory_hooks_rules_reload_failures_total") == 0)
            #expect(metrics.value("artifactory_hooks_backpressure_active") == 0)
            #expect(metrics.value("artifactory_hooks_deferred_events") == 0)
        }
    }

    @Test("a broken rules file counts a reload failure; the rules in force stay")
    func reloadFailureCounted() async throws {
        try await DeliveryHarness.run(rules: Self.rules) { harness, _ in
            // The reloader notices changes after its first look at the directory, which may come
            // after this test starts: write a new broken version until one is noticed.
            var failures = 0.0
            var metrics = MetricsText("")
            for attempt in 0..<6 where failures == 0 {
                try harness.daemon.directory.write(
                    "rules/rules.yml", "rules:\n  - name: broken-\(attempt)\n    on: [\n")
                for _ in 0..<100 where failures == 0 {
                    try await Task.sleep(for: .milliseconds(30))
                    metrics = MetricsText(try await harness.admin.get("/metrics").body)
                    failures = metrics.value("artifactory_hooks_rules_reload_failures_total") ?? 0
                }
            }
            #expect(failures >= 1)
            #expect(metrics.value("artifactory_hooks_rules_loaded") == 2)
        }
    }

    @Test("with admin_listen set, /metrics is on the admin listener only; health is on both")
    func adminListenerSeparate() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            let port = try await admin.waitForPort()
            #expect(port > 0)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)

            let metrics = try await admin.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("artifactory_hooks_dead_letters_total 0"))
            #expect(try await admin.get("/healthz").status == 200)
            #expect(try await admin.get("/readyz").status == 200)
            // The admin listener takes no webhooks.
            #expect(try await admin.get("/webhooks/main").status == 404)
        }
    }

    @Test("with admin_listen: off, the webhook listener serves /metrics and nothing else listens")
    func adminListenerOff() async throws {
        let daemon = try TestDaemon(admin: "off")
        defer { daemon.directory.remove() }
        #expect(try daemon.config().adminListen == nil)
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            let body = try Fixtures.bytes("events/artifact/deployed.json")
            _ = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = MetricsText(String(buffer: response.body))
            #expect(
                metrics.value(
                    "artifactory_hooks_events_received_total", ["outcome": "accepted", "domain": "artifact"]) == 1)
            await #expect(throws: AdminListener.AdminFailure.self) {
                _ = try await admin.waitForPort(timeout: .seconds(1))
            }
        }
    }
}

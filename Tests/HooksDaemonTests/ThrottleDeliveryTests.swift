import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Delivery: once_within throttles a rule across events", .timeLimit(.minutes(3)))
struct ThrottleDeliveryTests {
    static let rule = """
        rules:
          - name: announce
            on: build.uploaded
            once_within: 10m
            key: "{{ data.build_name }}"
            do:
              - http:
                  target: chat
                  method: POST
                  path: "hooks/builds"
                  json: { text: "{{ data.build_name }} #{{ data.build_number }} uploaded" }

        """

    static func uploaded(_ name: String, number: Int) -> String {
        #"{"domain":"build","event_type":"uploaded","data":{"build_name":"\#(name)","build_number":"\#(number)"}}"#
    }

    @Test("50 uploads of one build within once_within send one message; the others are recorded as throttled")
    func fiftyUploadsOneMessage() async throws {
        let receiver = TestReceiver()
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        try await receiver.withRunning { url in
            let targets = try TargetDeliveryTests.targets(url, secrets: secrets, signed: false)
            try await DeliveryHarness.run(rules: Self.rule, extra: targets) { harness, client in
                // Given 50 uploads of build payments (each its own event: its own build number)
                var acks: [Acknowledgement] = []
                for number in 1...50 {
                    acks.append(try await harness.post(client, Self.uploaded("payments", number: number)))
                }
                // and one upload of another build
                let other = try await harness.post(client, Self.uploaded("ledger", number: 1))

                // Then the first upload of each build plans its message, and no other does
                #expect(acks.map(\.planned) == [1] + Array(repeating: 0, count: 49))
                #expect(other.planned == 1)
                let first = try await harness.waitForJobs(of: acks[0].event_id)
                #expect(first.map(\.state) == [.done])
                try await harness.waitForJobs(of: other.event_id)
                let texts = receiver.received.map(\.bodyText).sorted()
                #expect(texts == [#"{"text":"ledger #1 uploaded"}"#, #"{"text":"payments #1 uploaded"}"#])

                // and every later upload shows the throttle in events show
                let store = try await harness.daemon.openStore()
                let last = try #require(acks.last)
                let jobs = try await store.jobs(forEvent: last.event_id)
                let recorded = try await store.planFailures(forEvent: last.event_id)
                try await store.close()
                #expect(jobs.isEmpty)
                #expect(recorded.map(\.code) == ["throttled"])
                let shown = EventTable.plan(jobs: jobs, failures: recorded)
                #expect(
                    shown.contains(
                        #"throttled: announce do[0] http: once within 10m per key "payments" (not sent: "#
                            + "the window of this key was open)"), "\(shown)")
                #expect(!shown.contains("not planned"))

                // and /metrics counts the 49 throttled actions, and no plan failure
                let metrics = try await harness.admin.scrape {
                    $0.value("artifactory_hooks_throttled_actions_total", ["rule": "announce"]) == 49
                }
                #expect(metrics.value("artifactory_hooks_plan_failures_total", ["code": "throttled"]) == nil)

                // and a dry replay says its action is throttled only when replayed for real
                let replay = try DaemonProcess([
                    "events", "replay", "--dry-run", "--config", harness.daemon.configPath, String(last.event_id),
                ])
                #expect(try await replay.waitForExit() == 0)
                #expect(
                    replay.printed.contains("1 subject to once_within (decided on a real replay)"), "\(replay.printed)")
            }
        }
        #expect(receiver.received.count == 2)
    }

    @Test(
        "two daemons sharing one PostgreSQL database, each receiving uploads of one build at once, send one message",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func twoDaemonsOneMessage() async throws {
        let database = try await TestPostgres.createDatabase()
        let receiver = TestReceiver()
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        do {
            try await receiver.withRunning { url in
                let targets = try TargetDeliveryTests.targets(url, secrets: secrets, signed: false)
                // No Artifactory call is planned: the daemons never reach this address.
                let daemons = try (0..<2).map { _ in
                    try TestDaemon.callingArtifactory(
                        at: URL(string: "http://127.0.0.1:9/artifactory")!, rules: Self.rule,
                        worker: "backoff_base: 100ms", token: "unused", extra: targets,
                        store: "postgres: \(database.url)\ntls: disable")
                }
                defer { for daemon in daemons { daemon.directory.remove() } }
                let first = try await buildApplication(config: try daemons[0].config(), logger: TestDaemon.logger)
                let second = try await buildApplication(config: try daemons[1].config(), logger: TestDaemon.logger)
                try await first.test(.live) { one in
                    try await second.test(.live) { two in
                        // Given 10 uploads of build payments, 5 at each daemon, all at once
                        let planned = try await withThrowingTaskGroup(of: Int.self) { group in
                            for number in 1...10 {
                                group.addTask {
                                    let body = Array(Self.uploaded("payments", number: number).utf8)
                                    let client: any TestClientProtocol = number % 2 == 0 ? one : two
                                    let response = try await client.execute(
                                        uri: "/webhooks/main", method: .post, headers: signedHeaders(body),
                                        body: ByteBuffer(bytes: body))
                                    #expect(response.status == .accepted)
                                    return try JSONDecoder().decode(
                                        Acknowledgement.self, from: Data(response.body.readableBytesView)
                                    ).planned
                                }
                            }
                            return try await group.reduce(0, +)
                        }
                        // Then exactly one of them planned the message, and it is sent once
                        #expect(planned == 1)
                        for _ in 0..<500 where receiver.received.isEmpty {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(receiver.received.count == 1)
                    }
                }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Storage
import Testing

@Suite("Delivery: http: calls to outbound targets", .timeLimit(.minutes(1)))
struct TargetDeliveryTests {
    /// A Standard Webhooks secret: `whsec_` and the base64 of 32 bytes.
    static let whsec = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    static func promoted(_ name: String, number: String = "7") -> String {
        var quoted = ""
        JSONObjectWriter.appendQuoted(name, to: &quoted)
        return
            #"{"domain":"build","event_type":"promoted","data":{"build_name":\#(quoted),"build_number":"\#(number)"}}"#
    }

    static let chatRule = """
        rules:
          - name: announce
            on: build.promoted
            do:
              - http:
                  target: chat
                  method: POST
                  path: "hooks/{{ data.build_name }}"
                  headers: { X-Build: "{{ data.build_number }}" }
                  json:
                    text: "{{ data.build_name }} #{{ data.build_number }} promoted"
                    count: 1

        """

    /// The `targets:` section for one target at `url` (signed with Standard Webhooks when `signed`).
    static func targets(_ url: URL, secrets: TemporaryDirectory, signed: Bool = true, extra: String = "") throws
        -> String
    {
        let token = try secrets.write("chat-token", "chat-token-value\n")
        let signing = try secrets.write("chat-whsec", whsec + "\n")
        return """
            targets:
              - name: chat
                url: \(url.absoluteString)/base
                allow_plain_http: true
                auth: bearer
                token_file: \(token)
            \(signed ? "    sign: { scheme: standard-webhooks, secret_file: \(signing) }" : "")
            \(extra)
            """
    }

    /// Verifies a Standard Webhooks delivery as the specification publishes it: HMAC-SHA256 over
    /// `id.timestamp.body`, keyed with the base64-decoded secret after `whsec_`, sent as `v1,BASE64`.
    static func verified(_ request: TestReceiver.Received, whsec: String = whsec) -> Bool {
        guard let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
            let signature = request.headers["webhook-signature"],
            let key = Data(base64Encoded: String(whsec.dropFirst("whsec_".count)))
        else { return false }
        let mac = Digest.hmac(.sha256, key: Array(key), message: Array("\(id).\(timestamp).".utf8) + request.body)
        return signature.split(separator: " ").contains { $0 == "v1," + Data(mac).base64EncodedString() }
    }

    @Test("a promoted build posts one signed JSON message, under the target's base URL")
    func promotedBuildPostsOneMessage() async throws {
        let receiver = TestReceiver()
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        try await receiver.withRunning { url in
            try await DeliveryHarness.run(rules: Self.chatRule, extra: try Self.targets(url, secrets: secrets)) {
                harness, client in
                let ack = try await harness.post(client, Self.promoted("payments"))
                #expect(ack.planned == 1)
                let jobs = try await harness.waitForJobs(of: ack.event_id)
                #expect(jobs.map(\.state) == [.done])
                #expect(jobs.first?.subject == "target:chat|build:payments#7")
                let received = receiver.received
                try #require(received.count == 1)
                #expect(received[0].method == "POST")
                #expect(received[0].target == "/base/hooks/payments")
                #expect(received[0].bodyText == #"{"text":"payments #7 promoted","count":1}"#)
                #expect(received[0].headers["content-type"] == "application/json")
                #expect(received[0].headers["authorization"] == "Bearer chat-token-value")
                #expect(received[0].headers["x-build"] == "7")
                #expect(received[0].headers["webhook-id"] == "msg_\(jobs[0].id)")
                #expect(Self.verified(received[0]))
                #expect(harness.simulator.state.requests.isEmpty)
            }
        }
    }

    @Test("500 then 200: retried, signed again with the same webhook-id")
    func retriedWithTheSameID() async throws {
        let receiver = TestReceiver(statuses: [500])
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        try await receiver.withRunning { url in
            try await DeliveryHarness.run(rules: Self.chatRule, extra: try Self.targets(url, secrets: secrets)) {
                harness, client in
                let ack = try await harness.post(client, Self.promoted("payments"))
                let jobs = try await harness.waitForJobs(of: ack.event_id)
                #expect(jobs.map(\.state) == [.done])
                let received = receiver.received
                try #require(received.count == 2)
                #expect(received[0].headers["webhook-id"] == received[1].headers["webhook-id"])
                #expect(received.allSatisfy { Self.verified($0) })
                let attempts = try await harness.attempts(of: jobs[0].id)
                #expect(attempts.map(\.httpStatus) == [500, 200])
                let metrics = try await harness.admin.scrape {
                    $0.value("artifactory_hooks_target_requests_total", ["target": "chat", "status_class": "2xx"]) == 1
                }
                #expect(
                    metrics.value("artifactory_hooks_target_requests_total", ["target": "chat", "status_class": "5xx"])
                        == 1)
            }
        }
    }

    @Test("a 404 is permanent: the job is dead after one attempt")
    func clientErrorIsDead() async throws {
        let receiver = TestReceiver(statuses: [404])
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        try await receiver.withRunning { url in
            try await DeliveryHarness.run(rules: Self.chatRule, extra: try Self.targets(url, secrets: secrets)) {
                harness, client in
                let ack = try await harness.post(client, Self.promoted("payments"))
                #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.dead])
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test("an event field holding \"}, \"x\": 1 arrives as text inside the JSON")
    func hostileFieldStaysText() async throws {
        let receiver = TestReceiver()
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        let hostile = #"a"}, "x": 1"#
        try await receiver.withRunning { url in
            let rules = """
                rules:
                  - name: announce
                    on: build.promoted
                    do:
                      - http:
                          target: chat
                          method: POST
                          json: { text: "{{ data.build_name }}" }

                """
            try await DeliveryHarness.run(rules: rules, extra: try Self.targets(url, secrets: secrets)) {
                harness, client in
                let ack = try await harness.post(client, Self.promoted(hostile))
                #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.done])
                let received = try #require(receiver.received.first)
                #expect(received.target == "/base")
                let object = try JSONSerialization.jsonObject(with: Data(received.body)) as? [String: Any]
                #expect(object?.count == 1)
                #expect(object?["text"] as? String == hostile)
            }
        }
    }

    @Test("a slow target (5 s a call) does not delay the Artifactory calls planned beside it")
    func slowTargetDoesNotStarveArtifactory() async throws {
        let receiver = TestReceiver(delay: .seconds(5))
        let secrets = try TemporaryDirectory()
        defer { secrets.remove() }
        let rules = """
            rules:
              - name: announce
                on: artifact.deployed
                do:
                  - http: { target: chat, method: POST, json: { path: "{{ data.path }}" } }
                  - set_properties: { qa.status: pending }

            """
        try await receiver.withRunning { url in
            try await DeliveryHarness.run(
                rules: rules, worker: "concurrency: 2", files: (0..<6).map { "com/acme/\($0).jar" },
                extra: try Self.targets(url, secrets: secrets, signed: false, extra: "    concurrency: 1")
            ) { harness, client in
                var events: [Int64] = []
                for index in 0..<6 {
                    events.append(
                        try await harness.post(client, DeliveryHarness.deployed("com/acme/\(index).jar")).event_id)
                }
                // Every Artifactory call is done while the target has answered only a few calls.
                func artifactoryDone() async throws -> Int {
                    var done = 0
                    for event in events {
                        done += try await harness.jobs(of: event).filter {
                            $0.kind == "set_properties" && $0.state == .done
                        }
                        .count
                    }
                    return done
                }
                for _ in 0..<750 {
                    if try await artifactoryDone() == 6 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await artifactoryDone() == 6)
                // Had the Artifactory calls waited behind the target's, the target would have
                // answered five or six 5-second calls by now; a loaded machine may let it answer
                // two or three.
                #expect(receiver.received.count <= 3)
                #expect(harness.simulator.state.requests.count == 6)
                var httpStates: [StoredJob.State] = []
                for event in events {
                    httpStates += try await harness.jobs(of: event).filter { $0.kind == "http" }.map(\.state)
                }
                #expect(httpStates.filter { $0 == .done }.count <= 3)
            }
        }
    }

    @Test("at start, jobs of a target the config no longer has are reported with what to do")
    func jobsOfARemovedTargetAreReported() async throws {
        let daemon = try TestDaemon(extra: "rules: rules\n")
        defer { daemon.directory.remove() }
        try daemon.directory.write("rules/none.yml", "rules: []\n")
        let store = try await daemon.openStore()
        let body = Array(Self.promoted("payments").utf8)
        _ = try await store.insert(
            NewEvent(
                receivedAt: Date(), endpoint: "main", event: try .init(body: body), body: body, sourceAddress: nil),
            dedupWindow: .zero
        ) { _, _ in
            EventPlan(jobs: [
                NewJob(
                    rule: "announce", actionIndex: 0, kind: "http", subject: "target:gone|build:payments#7",
                    request: #"{"method":"POST"}"#, effects: [])
            ])
        }
        try await store.close()
        let lines = LogLines()
        let logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .warning, output: lines.output)
        }
        _ = try await buildApplication(config: try daemon.config(), logger: logger)
        let warning = lines.all.filter { $0.contains("Jobs wait for a target the config no longer has") }
        #expect(warning.count == 1, "\(lines.all)")
        #expect(warning.first?.contains("target=gone") == true)
        #expect(warning.first?.contains("jobs=1") == true)
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import AsyncHTTPClient
import Foundation
import HTTPTypes
import HooksTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// A webhook handler on an ephemeral port of 127.0.0.1 that keeps every POST it gets and answers
/// with `status`.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var auth: String?
        var header: String?
        var body: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        var eventType: String { "\(json["domain"] ?? "").\(json["event_type"] ?? "")" }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    }

    let received = Mutex<[Received]>([])

    /// Runs a receiver while `body` runs; `body` gets the receiver and its URL.
    static func run<Result: Sendable>(
        _ body: @Sendable (WebhookReceiver, String) async throws -> Result
    ) async throws -> Result {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            receiver.received.withLock {
                $0.append(
                    Received(
                        auth: request.headers[HTTPField.Name("X-JFrog-Event-Auth")!],
                        header: request.headers[HTTPField.Name("X-Team")!], body: String(buffer: bytes)))
            }
            return .ok
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(services: [application], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            defer { continuation.finish() }
            do {
                let result = try await body(receiver, "http://127.0.0.1:\(port)/hook")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Waits (10 s at most) until `count` webhooks arrived and returns them.
    func wait(for count: Int) async throws -> [Received] {
        for _ in 0..<1000 {
            let all = received.withLock { $0 }
            if all.count >= count { return all }
            try await Task.sleep(for: .milliseconds(10))
        }
        return received.withLock { $0 }
    }
}

/// The simulator as a sender: its own changes POST the documented webhook bodies to the
/// subscriptions that select them, signed as configured, and failures land in its
/// troubleshooting store.
@Suite("The simulator sends webhooks for its changes", .timeLimit(.minutes(1)))
struct WebhookSenderTests {
    static let token = "sender-token"

    static func simulator() -> ArtifactorySimulator {
        var configuration = ArtifactorySimulator.Configuration(
            tokens: [token], repositories: ["libs-release-local", "libs-staging-local"])
        configuration.webhookRetryDelays = [.milliseconds(10), .milliseconds(10)]
        return ArtifactorySimulator(configuration: configuration)
    }

    /// Sends `method` to `url` with the token; the answer's status.
    @discardableResult
    static func call(_ method: HTTPMethod, _ url: String, json: String? = nil) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }

    /// Registers a subscription through the Event API at the platform root.
    static func subscribe(
        _ base: URL, key: String, domain: String, types: [String], criteria: String, url: String,
        secret: String = "s3cret", signing: Bool = true
    ) async throws {
        let root = base.absoluteString.replacingOccurrences(of: "/artifactory", with: "")
        let body = """
            {"key": "\(key)", "enabled": true,
             "event_filter": {"domain": "\(domain)", "event_types": \(types), "criteria": \(criteria)},
             "handlers": [{"handler_type": "webhook", "url": "\(url)", "secret": "\(secret)",
               "use_secret_for_signing": \(signing), "custom_http_headers": [{"name": "X-Team", "value": "ops"}]}]}
            """
        let status = try await call(.POST, root + "/event/api/v1/subscriptions", json: body)
        #expect(status == 201)
    }

    @Test("deploy, property, copy, move, delete: one documented body each, HMAC-signed, custom header sent")
    func artifactChanges() async throws {
        let simulator = Self.simulator()
        try await WebhookReceiver.run { receiver, hook in
            try await simulator.withRunning { base in
                let artifact = #"{"anyLocal": true, "repoKeys": [], "includePatterns": [], "excludePatterns": []}"#
                try await Self.subscribe(
                    base, key: "a", domain: "artifact", types: ["deployed", "deleted", "moved", "copied"],
                    criteria: artifact, url: hook)
                try await Self.subscribe(
                    base, key: "p", domain: "artifact_property", types: ["added", "deleted"], criteria: artifact,
                    url: hook)
                let file = base.absoluteString + "/libs-release-local/com/acme/app.jar"

                #expect(try await Self.call(.PUT, file, json: "{}") == 201)
                try await Self.call(
                    .PUT, base.absoluteString + "/api/storage/libs-release-local/com/acme/app.jar?properties=qa=ok")
                try await Self.call(
                    .POST,
                    base.absoluteString
                        + "/api/copy/libs-release-local/com/acme/app.jar?to=/libs-staging-local/c/app.jar")
                try await Self.call(
                    .POST,
                    base.absoluteString + "/api/move/libs-staging-local/c/app.jar?to=/libs-staging-local/m/app.jar")
                try await Self.call(.DELETE, file)
                #expect(await simulator.state.webhooksSettled())

                let got = try await receiver.wait(for: 5)
                #expect(
                    got.map(\.eventType).sorted()
                        == [
                            "artifact.copied", "artifact.deleted", "artifact.deployed", "artifact.moved",
                            "artifact_property.added",
                        ].sorted(), "\(got.map(\.eventType))")
                for webhook in got {
                    let expected = Digest.hex(
                        Digest.hmac(.sha256, key: Array("s3cret".utf8), message: Array(webhook.body.utf8)))
                    #expect(webhook.auth == expected, "the signature is the HMAC of the exact body")
                    #expect(webhook.header == "ops")
                    #expect(webhook.json["jpd_origin"] as? String != nil && webhook.json["source"] != nil)
                }
                let property = try #require(got.first { $0.eventType == "artifact_property.added" })
                #expect(
                    property.data["property_key"] as? String == "qa"
                        && property.data["property_values"] as? [String] == ["ok"])
                #expect(property.json["subscription_key"] as? String == "p")
                let copied = try #require(got.first { $0.eventType == "artifact.copied" })
                #expect(copied.data["repo_key"] as? String == "libs-release-local")
                #expect(copied.data["target_repo_path"] as? String == "libs-staging-local")
                #expect(simulator.state.troubleshootingRecords.isEmpty, "successes are not kept outside debug mode")
            }
        }
    }

    @Test("criteria: repository keys and Ant patterns select; a plain secret is sent as the token")
    func criteriaSelect() async throws {
        let simulator = Self.simulator()
        try await WebhookReceiver.run { receiver, hook in
            try await simulator.withRunning { base in
                try await Self.subscribe(
                    base, key: "jars", domain: "artifact", types: ["deployed"],
                    criteria:
                        #"{"anyLocal": false, "repoKeys": ["libs-release-local"], "includePatterns": ["com/**/*.jar"], "excludePatterns": ["**/internal/**"]}"#,
                    url: hook, signing: false)
                for (repo, path) in [
                    ("libs-release-local", "com/acme/a.jar"), ("libs-release-local", "com/acme/internal/b.jar"),
                    ("libs-release-local", "com/acme/c.pom"), ("libs-staging-local", "com/acme/d.jar"),
                    ("libs-release-local", "org/e.jar"),
                ] {
                    try simulator.state.deploy(repo: repo, path: path, content: Array(path.utf8))
                }
                #expect(await simulator.state.webhooksSettled())
                let got = try await receiver.wait(for: 1)
                #expect(got.map { $0.data["path"] as? String } == ["com/acme/a.jar"])
                #expect(got.first?.auth == "s3cret", "without signing, the secret is the header's value")
            }
        }
    }

    @Test("build upload and promotion: build events for the selected builds only")
    func buildEvents() async throws {
        let simulator = Self.simulator()
        try await WebhookReceiver.run { receiver, hook in
            try await simulator.withRunning { base in
                try await Self.subscribe(
                    base, key: "b", domain: "build", types: ["uploaded", "promoted"],
                    criteria:
                        #"{"anyBuild": false, "selectedBuilds": ["payments"], "includePatterns": [], "excludePatterns": []}"#,
                    url: hook)
                for name in ["payments", "other"] {
                    let info =
                        #"{"version": "1.0.1", "name": "\#(name)", "number": "7", "started": "2026-12-07T10:00:00.000+0000", "modules": []}"#
                    #expect(try await Self.call(.PUT, base.absoluteString + "/api/build", json: info) == 204)
                }
                try await Self.call(
                    .POST, base.absoluteString + "/api/build/promote/payments/7",
                    json: #"{"status": "released", "targetRepo": "libs-release-local"}"#)
                #expect(await simulator.state.webhooksSettled())
                let got = try await receiver.wait(for: 2)
                #expect(got.map(\.eventType) == ["build.uploaded", "build.promoted"], "\(got.map(\.eventType))")
                #expect(
                    got.allSatisfy {
                        $0.data["build_name"] as? String == "payments" && $0.data["build_number"] as? String == "7"
                    })
            }
        }
    }

    @Test("a handler that refuses: three attempts, then the exact body is in the troubleshooting store")
    func failedDeliveryRecorded() async throws {
        let simulator = Self.simulator()
        try await simulator.withRunning { base in
            let port = try LoopbackPort.unused()
            try await Self.subscribe(
                base, key: "down", domain: "artifact", types: ["deployed"], criteria: #"{"anyLocal": true}"#,
                url: "http://127.0.0.1:\(port)/hook")
            try simulator.state.deploy(repo: "libs-release-local", path: "x/y.jar", content: [1])
            #expect(await simulator.state.webhooksSettled())
            let sent = try #require(simulator.state.sentWebhooks.first)
            #expect(sent.status == nil && sent.attempts == 3)
            let record = try #require(simulator.state.troubleshootingRecords.first)
            #expect(record.payload == sent.body && record.subscriptionKey == "down" && record.retriesAttempted == 2)
            #expect(!record.errors.isEmpty)
        }
    }
}

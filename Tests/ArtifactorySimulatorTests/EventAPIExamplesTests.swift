import ArtifactorySimulator
import Foundation
import HTTPTypes
import HooksTestSupport
import HummingbirdTesting
import NIOCore
import Testing

/// The Event API's webhook subscriptions at the platform root, with the bodies JFrog's pages
/// document.
@Suite("The simulator's Event API subscriptions", .timeLimit(.minutes(1)))
struct EventAPIExamplesTests {
    /// Create a New Webhook Subscription's sample input.
    static let audits = """
        {"key": "Audits", "description": "Triggers Security and QA audits when a new artifact is created",
         "enabled": true,
         "event_filter": {"domain": "artifact", "event_types": ["deployed", "moved", "copied"],
           "criteria": {"anyLocal": true, "anyRemote": false, "includePatterns": [], "excludePatterns": [],
                        "repoKeys": []}},
         "handlers": [{"handler_type": "webhook", "url": "https://webhook.my-company.test/",
           "secret": "tell no one", "proxy": "mainProxy",
           "custom_http_headers": [{"name": "X-MyCompany-Header", "value": "whatever"}]}]}
        """

    static let path = "/event/api/v1/subscriptions"

    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: method,
            headers: LiveSimulator.headers(contentType: body == nil ? nil : "application/json"),
            body: body.map(LiveSimulator.body))
    }

    @Test("Create, list, get, update, delete: the documented answers; the secret is kept, never given back")
    func lifecycle() async throws {
        try await LiveSimulator.run { simulator, client in
            let created = try await Self.send(client, .post, Self.path, Self.audits)
            #expect(created.status == .created)
            #expect(!created.text.contains("tell no one"))
            let stored = try #require(simulator.state.subscriptions.first)
            #expect(stored.handlers.first?.secret == "tell no one")
            #expect(stored.handlers.first?.proxy == "mainProxy")
            #expect(stored.handlers.first?.customHeaders == [.init(name: "X-MyCompany-Header", value: "whatever")])

            let again = try await Self.send(client, .post, Self.path, Self.audits)
            #expect(again.status == .conflict)

            let list = try await Self.send(client, .get, Self.path)
            #expect(list.status == .ok)
            let array = try #require(
                try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]])
            #expect(array.count == 1 && array[0]["key"] as? String == "Audits")
            #expect(!list.text.contains("tell no one"))

            let one = try await Self.send(client, .get, Self.path + "/Audits")
            #expect(one.status == .ok)
            let filter = try #require(one.json["event_filter"] as? [String: Any])
            #expect(filter["event_types"] as? [String] == ["deployed", "moved", "copied"])
            #expect((filter["criteria"] as? [String: Any])?["anyLocal"] as? Bool == true)
            #expect(!one.text.contains("tell no one"))
            #expect(try await Self.send(client, .get, Self.path + "/Nope").status == .notFound)

            let update = Self.audits.replacingOccurrences(of: #""key": "Audits", "#, with: "")
                .replacingOccurrences(of: #""deployed", "moved", "copied""#, with: #""deleted""#)
            let updated = try await Self.send(client, .put, Self.path + "/Audits", update)
            #expect(updated.status == .noContent)
            #expect(simulator.state.subscriptions.first?.eventTypes == ["deleted"])
            #expect(try await Self.send(client, .put, Self.path + "/Nope", update).status == .notFound)

            // The test call really posts the sample event: to a port nothing listens on, it fails.
            let closed = try LoopbackPort.unused()
            let unreachable = Self.audits.replacingOccurrences(
                of: "https://webhook.my-company.test/", with: "http://127.0.0.1:\(closed)/")
            let tested = try await Self.send(client, .post, Self.path + "/test", unreachable)
            #expect(tested.status == .ok && tested.json["result"] as? String == "failure")
            #expect((tested.json["message"] as? String)?.hasPrefix("Test failed: ") == true, "\(tested.text)")

            #expect(try await Self.send(client, .delete, Self.path + "/Audits").status == .noContent)
            #expect(simulator.state.subscriptions.isEmpty)
            #expect(try await Self.send(client, .delete, Self.path + "/Audits").status == .notFound)
        }
    }

    @Test(
        "Bad input is a 400: no key, an unknown domain or event type, no handler, a handler URL that is not http(s)",
        arguments: [
            (#""key": "Audits","#, #""key": "","#),
            (#""domain": "artifact""#, #""domain": "artifacts""#),
            (#""moved", "copied""#, #""moved", "promoted""#),
            (#""handlers": [{"#, #""handlers": [], "x": [{"#),
            ("https://webhook.my-company.test/", "ftp://webhook.my-company.test/"),
        ])
    func badInput(_ replacement: (String, String)) async throws {
        try await LiveSimulator.run { simulator, client in
            let body = Self.audits.replacingOccurrences(of: replacement.0, with: replacement.1)
            #expect(body != Self.audits)
            let answer = try await Self.send(client, .post, Self.path, body)
            #expect(answer.status == .badRequest, "\(answer.text)")
            #expect(simulator.state.subscriptions.isEmpty)
        }
    }

    @Test("The Event API needs credentials")
    func needsCredentials() async throws {
        try await LiveSimulator.run { _, client in
            let answer = try await client.execute(uri: Self.path, method: .get)
            #expect(answer.status == .unauthorized)
        }
    }
}

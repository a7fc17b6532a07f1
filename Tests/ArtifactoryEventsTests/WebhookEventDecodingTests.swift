import ArtifactoryEvents
import Testing

@Suite("Decoding refuses what is not an event, and says why")
struct WebhookEventDecodingTests {
    @Test(
        "bad bodies",
        arguments: [
            ("", "not_json"),
            ("{", "not_json"),
            ("{\"event_type\": \"deployed\",}", "not_json"),
            ("[1, 2]", "not_an_object"),
            ("\"deployed\"", "not_an_object"),
            ("{}", "missing_event_type"),
            ("{\"domain\": \"artifact\", \"data\": {}}", "missing_event_type"),
            ("{\"event_type\": \"\"}", "missing_event_type"),
            ("{\"event_type\": 42}", "missing_event_type"),
        ])
    func refuses(body: String, code: String) {
        #expect {
            _ = try WebhookEvent(body: Array(body.utf8))
        } throws: { error in
            guard let error = error as? WebhookEvent.DecodingError else { return false }
            return error.code == code && !error.message.isEmpty
        }
    }

    @Test("missing event type is named in the message")
    func messageNamesEventType() throws {
        do {
            _ = try WebhookEvent(body: Array("{\"domain\":\"artifact\"}".utf8))
            Issue.record("decoded without an event type")
        } catch {
            #expect(error.message.contains("event_type"))
        }
    }

    @Test("unknown fields are tolerated and kept in data")
    func unknownFields() throws {
        let body =
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a/b","new_field":{"x":[1,2]}},"extra":true}"#
        let event = try WebhookEvent(body: Array(body.utf8))
        #expect(event.subject == .artifact(repo: "r", path: "a/b"))
        #expect(event.data["new_field"]?["x"] == .array([.number("1"), .number("2")]))
        #expect(event.origin == nil)
    }

    @Test("oddly typed fields become nil, never an error")
    func oddTypes() throws {
        let body = #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":["r"],"path":7,"size":"12"}}"#
        let event = try WebhookEvent(body: Array(body.utf8))
        guard case .artifact(let item) = event.typedData else {
            Issue.record("not an artifact")
            return
        }
        #expect(item.repoKey == nil)
        #expect(item.path == "7")
        #expect(item.size == 12)
        #expect(event.subject == .none)
    }
}

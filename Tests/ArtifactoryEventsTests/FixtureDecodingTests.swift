import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Testing

@Suite("Every fixture event decodes")
struct FixtureDecodingTests {
    /// Fixtures laid out as DOMAIN/EVENT_TYPE.json; edge cases live elsewhere.
    static let canonical = Fixtures.eventFiles().filter { !$0.hasPrefix("edge/") && !$0.hasPrefix("unknown/") }

    @Test("the fixture set covers every domain the daemon knows")
    func coversKnownDomains() {
        let domains = Set(Self.canonical.map { String($0.split(separator: "/")[0]) })
        for domain in EventDomain.known {
            #expect(domains.contains(domain.rawValue), "no fixture for domain \(domain)")
        }
    }

    @Test("decodes to the kind its path names, with a subject", arguments: canonical)
    func decodes(file: String) throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/" + file))
        let parts = file.dropLast(".json".count).split(separator: "/")
        #expect(event.kind.domain.rawValue == String(parts[0]))
        #expect(event.kind.eventType == String(parts[1]))
        guard case .unknown = event.kind.domain else {
            #expect(event.subject != .none, "no subject derived from \(file)")
            return
        }
        Issue.record("\(file) decoded as an unknown domain")
    }

    @Test("an artifact event exposes its typed fields")
    func artifactFields() throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/artifact/deployed.json"))
        guard case .artifact(let item) = event.typedData else {
            Issue.record("not typed as an artifact: \(event.typedData)")
            return
        }
        #expect(item.repoKey == "libs-release-local")
        #expect(item.path == "com/acme/payments/payments-core/2.4.1/payments-core-2.4.1.jar")
        #expect(item.size == 1_843_307)
        #expect(item.sha256?.count == 64)
        #expect(event.origin == "https://artifactory.example.com")
        #expect(event.subscriptionKey == "sub-main")
    }

    @Test("build events have a build subject")
    func buildSubject() throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/build/uploaded.json"))
        guard case .build(let name, let number) = event.subject else {
            Issue.record("subject is \(event.subject)")
            return
        }
        #expect(!name.isEmpty)
        #expect(!number.isEmpty)
    }

    @Test("an unknown domain is kept, not refused")
    func unknownDomain() throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/unknown/happened.json"))
        #expect(event.kind.description == "future_thing.happened")
        #expect(event.kind.domain == .unknown("future_thing"))
        #expect(event.typedData == .unknown)
    }

    @Test("a large integer keeps every digit")
    func largeInteger() throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/edge/large-integer.json"))
        #expect(event.data["transaction_id"] == .number("123456789012345678901"))
    }

    @Test("the legacy `destination` key stands in for `domain`")
    func legacyDestinationKey() throws {
        let event = try WebhookEvent(
            body: try Fixtures.bytes("events/edge/legacy-destination-key-release_bundle-created.json"))
        #expect(event.kind.description == "release_bundle.created")
        #expect(event.subject == .releaseBundle(name: "payments-release", version: "2.4.1"))
    }

    @Test("a flat legacy body keeps its fields as data, its domain told by them")
    func legacyFlat() throws {
        let event = try WebhookEvent(body: try Fixtures.bytes("events/edge/legacy-flat-build-uploaded.json"))
        #expect(event.kind.description == "build.uploaded")
        #expect(event.subject == .build(name: "payments-service", number: "1024"))
        #expect(event.data["build_name"] == .string("payments-service"))
    }

    @Test(
        "flat bodies of each domain get it from the field only its events carry, and only for its event types",
        arguments: [
            (
                #"{"event_type":"added","repo_key":"r","path":"a.jar","property_key":"k","property_values":["v"]}"#,
                "artifact_property.added"
            ),
            (
                #"{"event_type":"pushed","repo_key":"d","path":"i/1/m.json","image_name":"i","tag":"1"}"#,
                "docker.pushed"
            ),
            (#"{"event_type":"deployed","repo_key":"r","path":"a.jar"}"#, "artifact.deployed"),
            (#"{"event_type":"signed","build_name":"b","build_number":"1"}"#, ".signed"),
            (#"{"event_type":"uploaded","data":{"build_name":"b"}}"#, ".uploaded"),
        ])
    func flatDomains(body: String, kind: String) throws {
        #expect(try WebhookEvent(body: Array(body.utf8)).kind.description == kind)
    }
}

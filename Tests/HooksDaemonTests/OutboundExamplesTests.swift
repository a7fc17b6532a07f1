import ArtifactoryEvents
import Foundation
import HooksDaemon
import HooksTestSupport
import Storage
import Testing

/// The shipped outbound examples (`examples/outbound/`): their `targets:` section and rules,
/// unchanged but for the receiver's address, deliver what each service expects.
@Suite("Examples: the outbound rules reach their services", .timeLimit(.minutes(1)))
struct OutboundExamplesTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("examples/outbound")
    static let secretFiles = ["slack-url", "teams-url", "jenkins-api-token", "github-token", "audit-whsec"]

    /// The shipped config's `targets:` section with every `127.0.0.1:8490` address turned into the
    /// receiver's, and its files copied (the same change made in them) into `copies`.
    static func targets(receiver: URL, copies: TemporaryDirectory) throws -> String {
        let local = "http://127.0.0.1:8490"
        var section = try String(contentsOf: folder.appendingPathComponent("config.yml"), encoding: .utf8)
        let start = try #require(section.range(of: "\ntargets:"))
        section = String(section[start.lowerBound...])
        for name in secretFiles {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let copy = try copies.write(name, text.replacingOccurrences(of: local, with: receiver.absoluteString))
            section = section.replacingOccurrences(of: ": \(name)\n", with: ": \(copy)\n")
                .replacingOccurrences(of: ": \(name) }", with: ": \(copy) }")
        }
        return section.replacingOccurrences(of: local, with: receiver.absoluteString)
    }

    /// Runs the daemon with the shipped rules and targets (aimed at a local receiver), posts
    /// `body`, waits for its jobs and hands `check` what the receiver got, by first path segment.
    static func deliver(
        _ body: String, planned: Int, _ check: @Sendable ([String: TestReceiver.Received]) throws -> Void
    )
        async throws
    {
        let receiver = TestReceiver()
        let copies = try TemporaryDirectory()
        defer { copies.remove() }
        try await receiver.withRunning { url in
            let rules = "rules: \(Self.folder.appendingPathComponent("rules").path)"
            try await DeliveryHarness.run(
                rules: "rules: []\n", extra: try Self.targets(receiver: url, copies: copies), rulesSection: rules
            ) { harness, client in
                let ack = try await harness.post(client, body)
                #expect(ack.planned == planned)
                let jobs = try await harness.waitForJobs(of: ack.event_id)
                #expect(jobs.map(\.state) == Array(repeating: .done, count: planned))
                let received = Dictionary(
                    receiver.received.map { (String($0.target.split(separator: "/").first ?? ""), $0) }
                ) { first, _ in first }
                try check(received)
            }
        }
    }

    static func fixture(_ path: String) throws -> String {
        String(decoding: try Fixtures.bytes("events/" + path), as: UTF8.self)
    }

    /// The parsed JSON of `text`, compared as Foundation objects (key order aside).
    static func json(_ text: some DataProtocol) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text)) as? NSObject)
    }

    @Test("a promoted build reaches Slack, Teams and the signed audit forward")
    func promotedBuild() async throws {
        let body = try Self.fixture("build/promoted.json")
        let whsec = try String(contentsOf: Self.folder.appendingPathComponent("audit-whsec"), encoding: .utf8)
        try await Self.deliver(body, planned: 3) { received in
            let slack = try #require(received["slack"])
            #expect(slack.target == "/slack/services/T00000000/B00000000/example-only")
            let message = #"{"text":"Build payments-service #1024 was promoted","unfurl_links":false}"#
            #expect(try Self.json(slack.body) == Self.json(Array(message.utf8)))

            let teams = try #require(received["teams"])
            #expect(teams.target.hasSuffix("/paths/invoke?api-version=2016-06-01&sig=example-only"))
            let card = try #require(try Self.json(teams.body) as? [String: Any])
            #expect(card["type"] as? String == "message")
            let attachment = try #require((card["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            #expect(teams.bodyText.contains(#""text":"payments-service #1024 promoted""#))

            let audit = try #require(received["audit"])
            #expect(audit.target == "/audit/events/build")
            #expect(try Self.json(audit.body) == Self.json(Array(body.utf8)))
            let secret = whsec.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(TargetDeliveryTests.verified(audit, whsec: secret))
            #expect(audit.headers["webhook-id"]?.hasPrefix("msg_") == true)
        }
    }

    @Test("an image pushed to docker-prod-local starts the Jenkins job and the GitHub workflow")
    func pushedImage() async throws {
        let body = try Self.fixture("docker/pushed.json")
            .replacingOccurrences(of: #""docker-local""#, with: #""docker-prod-local""#)
        try await Self.deliver(body, planned: 2) { received in
            let jenkins = try #require(received["jenkins"])
            #expect(jenkins.method == "POST")
            #expect(
                jenkins.target
                    == "/jenkins/job/deploy-payments/buildWithParameters?IMAGE=acme%2Fpayments-api&TAG=1.8.0"
                    + "&cause=Pushed%20to%20docker-prod-local")
            let basic = Data("artifactory-hooks:jenkins-api-token-example-only".utf8).base64EncodedString()
            #expect(jenkins.headers["authorization"] == "Basic \(basic)")

            let github = try #require(received["github"])
            #expect(github.target == "/github/repos/acme/deployments/dispatches")
            #expect(github.headers["authorization"] == "Bearer github-token-example-only")
            #expect(github.headers["accept"] == "application/vnd.github+json")
            #expect(github.headers["x-github-api-version"] == "2022-11-28")
            let dispatch = try #require(try Self.json(github.body) as? [String: Any])
            #expect(dispatch["event_type"] as? String == "docker-pushed")
            let payload = try #require(dispatch["client_payload"] as? [String: String])
            #expect(payload["image"] == "acme/payments-api")
            #expect(payload["tag"] == "1.8.0")
        }
    }
}

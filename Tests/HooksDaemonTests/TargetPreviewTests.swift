import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import HooksDaemon
import Logging
import Rules
import Testing

/// `rules test --config`: an `http:` call as its target's client sends it, secrets masked; and the
/// hmac-sha256 signature over the exact body.
struct TargetPreviewTests {
    static let request = ArtifactoryRequest(
        method: .post, pathAndQuery: "job/app/buildWithParameters?BUILD=7", body: #"{"a":"b"}"#,
        contentType: "application/json", base: .target, target: "ci",
        headers: [.init(name: "X-Trace", value: "t1"), .init(name: "User-Agent", value: "rule-set")])

    static func target(_ signing: TargetSigning?) -> DaemonConfig.Target {
        DaemonConfig.Target(
            client: TargetClient.Configuration(
                name: "ci", baseURL: URL(string: "https://ci.example.com/jenkins/")!,
                auth: .basic(user: "bot", password: "pa55-word"), signing: signing))
    }

    @Test func theExactRequestWithSecretsMasked() throws {
        let key = Array("0123456789abcdef01234567".utf8)
        let preview = try #require(
            TargetPreviews([Self.target(.standardWebhooks(key: key))]).preview(Self.request))
        #expect(preview.url == "https://ci.example.com/jenkins/job/app/buildWithParameters?BUILD=7")
        #expect(
            preview.headers.map { "\($0.name): \($0.value)" } == [
                "X-Trace: t1", "User-Agent: artifactory-hooks", "Content-Type: application/json",
                "Authorization: <masked>", "webhook-id: msg_<job id>", "webhook-timestamp: <time of the attempt>",
                "webhook-signature: <masked>",
            ])
        #expect(TargetPreviews([]).preview(Self.request) == nil)
    }

    @Test func thePlanReportShowsTheTargetsRequest() throws {
        let rules = try RuleSet.compile([
            RuleSource(
                file: "r.yml",
                text: """
                    rules:
                      - name: deploy
                        on: build.promoted
                        do:
                          - http: { target: ci, method: POST, path: "job/{{ data.build_name }}", json: { n: 1 } }
                    """)
        ])
        let event = try WebhookEvent(
            body: Array(
                #"{"domain":"build","event_type":"promoted","data":{"build_name":"app","build_number":"7"}}"#.utf8))
        let context = PlanContext(eventID: 1, now: Date())
        var report = PlanReport(
            event: event, plan: rules.plan(event, context: context),
            explanations: rules.explain(event, context: context),
            explain: false, baseURL: "https://a.example.com/artifactory")
        #expect(
            report.text.contains("     POST target:ci/job/app  (URL, credential and signature from the config's target")
        )
        let previews = TargetPreviews([Self.target(nil)])
        report.targetPreview = { previews.preview($0) }
        let text = report.text
        #expect(text.contains("     POST https://ci.example.com/jenkins/job/app  (target ci)\n"))
        #expect(text.contains("     Authorization: <masked>\n"))
        #expect(text.contains("     {\"n\":1}\n"))
        #expect(!text.contains("pa55-word"))
    }

    @Test func hmacSHA256SignsTheExactBody() {
        let signing = TargetSigning.hmacSHA256(header: "X-Signature", secret: Array("s3cret".utf8))
        let headers = signing.headers(id: "msg_1", timestamp: 0, body: Array(#"{"a":"b"}"#.utf8))
        let expected = Digest.hex(Digest.hmac(.sha256, key: Array("s3cret".utf8), message: Array(#"{"a":"b"}"#.utf8)))
        #expect(headers.map(\.name) == ["X-Signature"])
        #expect(headers.first?.value == "sha256=" + expected)
        #expect(!"\(signing)".contains("s3cret"))
    }
}

extension TargetPreviewTests {
    @Test("a stored path that would leave the target's URL is not sent", arguments: ["..", "a/%2e%2E/b", "x#f"])
    func storedPathMustStayUnderTheBase(path: String) async throws {
        let client = try TargetClient(
            configuration: .init(name: "ci", baseURL: URL(string: "https://127.0.0.1:1/base")!),
            logger: .init(label: "t"))
        defer { Task { try? await client.shutdown() } }
        let request = ArtifactoryRequest(method: .get, pathAndQuery: path, base: .target, target: "ci")
        let outcome = await client.execute(request, messageID: "msg_1", now: Date())
        #expect(outcome.status == nil)
        #expect(outcome.retryable == false)
        #expect(outcome.message == "target ci: the path must stay under the target's URL")
    }
}

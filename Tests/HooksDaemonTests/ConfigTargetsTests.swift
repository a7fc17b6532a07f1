import ArtifactoryAPI
import ArtifactoryRequests
import Foundation
import HooksDaemon
import HooksTestSupport
import Rules
import Testing
import YAMLDiagnostics

/// `targets:`: each outbound service with its URL, credential and signing; every mistake at its line,
/// and no secret in any message or description.
@Suite("Config loading: targets")
struct ConfigTargetsTests {
    static let endpoints = "endpoints:\n  - name: open\n    auth: none\n"

    @Test func aFullTargetLoads() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("token", "tok-secret\n")
        _ = try directory.write("whsec", "whsec_" + Data("0123456789abcdef01234567".utf8).base64EncodedString() + "\n")
        let text =
            Self.endpoints + """
                targets:
                  - name: slack
                    url: https://hooks.example.com/services/T1
                    auth: bearer
                    token_file: token
                    timeout: 5s
                    concurrency: 3
                    sign: { scheme: standard-webhooks, secret_file: whsec }
                    success: [200, 204]
                    retry: [409, 503]
                """
        let config = try DaemonConfig.parse(text: text, file: directory.path("c.yml"), environment: [:])
        let target = try #require(config.targets.first)
        #expect(target.name == "slack")
        #expect(target.concurrency == 3)
        #expect(target.client.requestTimeout == .seconds(5))
        #expect(target.client.auth == .bearer(token: "tok-secret"))
        #expect(target.client.isSuccess(204) && !target.client.isSuccess(201))
        #expect(target.client.isRetryable(409) && !target.client.isRetryable(500))
        #expect(!"\(target.client.auth)".contains("tok-secret"))
        #expect(!String(reflecting: target.client.signing as Any).contains("MDEy"))
        #expect(target.client.url(pathAndQuery: "") == "https://hooks.example.com/services/T1")
        #expect(target.client.url(pathAndQuery: "a/b?x=1") == "https://hooks.example.com/services/T1/a/b?x=1")
    }

    @Test func mistakesAreReportedAtTheirLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("plain", "not-a-whsec\n")
        let text =
            Self.endpoints + """
                targets:
                  - name: a
                    url: http://receiver.example.com
                    auth: beaer
                  - name: b
                    url: https://b.example.com
                    auth: basic
                    user: ci
                    password_file: missing-file
                  - name: c
                    url: https://c.example.com
                    auth: none
                    sign: { scheme: standard-webhooks, secret_file: plain }
                  - name: c
                    url: ftp://c.example.com
                    auth: header
                    header: X-Api-Key
                """
        let lines: [String]
        do {
            _ = try DaemonConfig.parse(text: text, file: directory.path("c.yml"), environment: [:])
            Issue.record("the config loaded")
            return
        } catch {
            lines = error.diagnostics.map { "\($0.line):\($0.column): \($0.keyPath): \($0.message)" }
        }
        #expect(lines.contains { $0.hasPrefix("6:10: targets[0].url: http://receiver.example.com is plain HTTP") })
        #expect(lines.contains(#"7:11: targets[0].auth: unknown auth "beaer"; did you mean "bearer"?"#))
        #expect(lines.contains { $0.hasPrefix("12:20: targets[1].password_file: cannot read secret file") })
        #expect(
            lines.contains(
                "16:53: targets[2].sign.secret_file: the secret file does not hold a Standard Webhooks secret (whsec_ followed by base64)"
            ))
        #expect(lines.contains(#"17:11: targets[3].name: target "c" is defined twice"#))
        #expect(lines.contains { $0.hasPrefix("18:10: targets[3].url: expected an http(s) URL") })
        #expect(lines.contains { $0.hasPrefix("17:5: targets[3]: auth: header needs value_file") })
        #expect(!lines.joined().contains("not-a-whsec"))
    }

    @Test func aURLFileHoldsASecretURLThatNoMessageOrPreviewShows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("slack-url", "https://hooks.example.com/services/T1/B2/s3cr3t?sig=abc\n")
        _ = try directory.write("bad-url", "ftp://hooks.example.com/services/T1/B2/s3cr3t\n")
        let good =
            Self.endpoints + """
                targets:
                  - name: slack
                    url_file: slack-url
                    auth: none
                """
        let config = try DaemonConfig.parse(text: good, file: directory.path("c.yml"), environment: [:])
        let target = try #require(config.targets.first)
        #expect(target.client.urlIsSecret)
        #expect(target.client.url(pathAndQuery: "") == "https://hooks.example.com/services/T1/B2/s3cr3t?sig=abc")
        #expect(
            target.client.url(pathAndQuery: "x/y?a=1")
                == "https://hooks.example.com/services/T1/B2/s3cr3t/x/y?sig=abc&a=1")
        #expect(target.client.shownURL(pathAndQuery: "x?a=1") == "<url_file of slack>/x?a=1")
        var request = try ArtifactoryRequest.generic(
            .post, base: .target, segments: [], query: [], body: "{}", contentType: "application/json")
        request.target = "slack"
        let preview = try #require(TargetPreviews(config.targets).preview(request))
        #expect(preview.url == "<url_file of slack>")

        // A command that sends nothing does not read the file.
        let commands = try DaemonConfig.parse(
            text: good, file: directory.path("c.yml"), environment: [:], for: .commands)
        #expect(commands.targets.first?.client.urlIsSecret == true)
        #expect(commands.targets.first?.client.baseURL.host != "hooks.example.com")

        let bad =
            Self.endpoints + """
                targets:
                  - name: a
                    url_file: bad-url
                    auth: none
                  - name: b
                    url: https://b.example.com
                    url_file: slack-url
                    auth: none
                  - name: c
                    url: https://c.example.com/x?sig=abc
                    auth: none
                """
        do {
            _ = try DaemonConfig.parse(text: bad, file: directory.path("c.yml"), environment: [:])
            Issue.record("the config loaded")
        } catch {
            let lines = error.diagnostics.map { "\($0.line):\($0.column): \($0.keyPath): \($0.message)" }
            #expect(
                lines.contains(
                    "6:15: targets[0].url_file: the file must hold one http(s) URL with a host and no user or fragment")
            )
            #expect(lines.contains("10:15: targets[1].url_file: give url or url_file, not both"))
            #expect(lines.contains { $0.hasPrefix("13:10: targets[2].url: expected an http(s) URL") })
            #expect(!lines.joined().contains("s3cr3t"))
        }
    }
}

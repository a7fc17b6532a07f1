import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import HummingbirdTesting
import NIOHTTP1
import Storage
import Testing

@Suite("Status page: acting from the page", .timeLimit(.minutes(1)))
struct StatusPageWriteTests {
    static let token = "ui-admin-token-for-tests"

    /// A daemon with `ui.write: true` and the token in a file; `rules` as in the read-only tests.
    static func run(
        worker: String = "backoff_base: 100ms", write: Bool = true,
        _ body: @Sendable (DeliveryHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("ui-token", token + "\n")
        let ui = write ? "ui:\n  write: true\n  token_file: \(path)\n" : ""
        try await DeliveryHarness.run(rules: StatusPageTests.rules, worker: worker, extra: ui, body)
    }

    /// A signed-in visit of `path`: the session cookie and the form token of its page.
    static func signIn(_ admin: AdminListener, _ path: String) async throws -> (cookie: String, csrf: String) {
        let page = try await admin.fetch(path, headers: [("Authorization", "Bearer \(token)")])
        #expect(page.status == 200)
        let cookie = try #require(page.header("Set-Cookie").split(separator: ";").first.map(String.init))
        let csrf = try #require(page.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
        return (cookie, String(csrf))
    }

    static func post(
        _ admin: AdminListener, _ path: String, form: String, auth: Bool = true, cookie: String? = nil,
        origin: String? = nil, site: String? = nil
    ) async throws -> PageAnswer {
        var headers: [(String, String)] = []
        if auth { headers.append(("Authorization", "Basic " + Data("oncall:\(token)".utf8).base64EncodedString())) }
        if let cookie { headers.append(("Cookie", cookie)) }
        if let origin { headers.append(("Origin", origin)) }
        if let site { headers.append(("Sec-Fetch-Site", site)) }
        return try await admin.fetch(path, method: .POST, headers: headers, form: form)
    }

    static func state(_ harness: DeliveryHarness, job: Int64) async throws -> StoredJob.State? {
        let store = try await harness.daemon.openStore()
        let state = try await store.job(id: job)?.state
        try await store.close()
        return state
    }

    @Test("a dead job is retried from its page and turns done; the action is refused without each safeguard")
    func retry() async throws {
        try await Self.run { harness, client in
            let dead = try await harness.post(client, DeliveryHarness.deployed("com/acme/late.jar"))
            let job = try #require(try await harness.waitForJobs(of: dead.event_id).first)
            #expect(job.state == .dead)
            let admin = harness.admin
            let port = try await admin.waitForPort()
            let path = "/ui/jobs/\(job.id)/retry"

            // Without signing in, the page offers a sign-in and no form.
            let anonymous = try await admin.fetch("/ui/jobs/\(job.id)")
            #expect(anonymous.body.contains(#"href="/ui/login""#))
            #expect(!anonymous.body.contains(#"action="\#(path)""#))
            let (cookie, csrf) = try await Self.signIn(admin, "/ui/jobs/\(job.id)")

            // Refused: no credential (401 with a challenge), a wrong one, no form token, a token of
            // another session, a cross-site origin, a cross-site fetch.
            let noToken = try await Self.post(admin, path, form: "csrf=\(csrf)", auth: false, cookie: cookie)
            #expect(noToken.status == 401)
            #expect(noToken.header("WWW-Authenticate").hasPrefix("Basic"))
            let wrong = try await admin.fetch(
                path, method: .POST, headers: [("Authorization", "Bearer nope"), ("Cookie", cookie)],
                form: "csrf=\(csrf)")
            #expect(wrong.status == 401)
            #expect(try await Self.post(admin, path, form: "", cookie: cookie).status == 403)
            let otherSession = "ahk_session=" + String(repeating: "a", count: 32)
            #expect(try await Self.post(admin, path, form: "csrf=\(csrf)", cookie: otherSession).status == 403)
            let crossOrigin = try await Self.post(
                admin, path, form: "csrf=\(csrf)", cookie: cookie, origin: "http://evil.example")
            #expect(crossOrigin.status == 403)
            #expect(crossOrigin.body.contains("own origin"))
            let crossSite = try await Self.post(admin, path, form: "csrf=\(csrf)", cookie: cookie, site: "cross-site")
            #expect(crossSite.status == 403)
            #expect(try await Self.state(harness, job: job.id) == .dead)

            // Accepted from the page's own origin: the job runs again, and now the file exists.
            try harness.simulator.state.addFile(repo: "libs-release-local", path: "com/acme/late.jar", size: 5)
            let accepted = try await Self.post(
                admin, path, form: "csrf=\(csrf)", cookie: cookie, origin: "http://127.0.0.1:\(port)",
                site: "same-origin")
            #expect(accepted.status == 303)
            #expect(accepted.header("Location") == "/ui/jobs/\(job.id)")
            var state = try await Self.state(harness, job: job.id)
            for _ in 0..<500 where state != .done {
                try await Task.sleep(for: .milliseconds(20))
                state = try await Self.state(harness, job: job.id)
            }
            #expect(state == .done)
        }
    }

    @Test("retry every dead letter of a rule, cancel a waiting job, replay in shadow")
    func otherActions() async throws {
        try await Self.run(worker: "backoff_base: 30s") { harness, client in
            let admin = harness.admin
            let first = try await harness.post(client, DeliveryHarness.deployed("com/acme/x.jar"))
            let second = try await harness.post(client, DeliveryHarness.deployed("com/acme/y.jar"))
            let deadIDs = [
                try #require(try await harness.waitForJobs(of: first.event_id).first).id,
                try #require(try await harness.waitForJobs(of: second.event_id).first).id,
            ]
            let (cookie, csrf) = try await Self.signIn(admin, "/ui/jobs?state=dead&rule=tag-on-deploy")
            // A job that fails and waits 30 s for its next attempt.
            harness.simulator.state.injectFault(.status(503), times: 1)
            let waiting = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            var waitingJob = try await harness.jobs(of: waiting.event_id).first
            for _ in 0..<500 where waitingJob?.state != .failed {
                try await Task.sleep(for: .milliseconds(20))
                waitingJob = try await harness.jobs(of: waiting.event_id).first
            }
            let waitingID = try #require(waitingJob?.id)

            // The files appear: retried, both dead letters succeed.
            for path in ["com/acme/x.jar", "com/acme/y.jar"] {
                try harness.simulator.state.addFile(repo: "libs-release-local", path: path, size: 5)
            }
            let retried = try await Self.post(
                admin, "/ui/jobs/retry-dead", form: "csrf=\(csrf)&rule=tag-on-deploy", cookie: cookie)
            #expect(retried.status == 303)
            for id in deadIDs {
                var state = try await Self.state(harness, job: id)
                for _ in 0..<500 where state != .done {
                    try await Task.sleep(for: .milliseconds(20))
                    state = try await Self.state(harness, job: id)
                }
                #expect(state == .done)
            }

            let cancelled = try await Self.post(
                admin, "/ui/jobs/\(waitingID)/cancel", form: "csrf=\(csrf)", cookie: cookie)
            #expect(cancelled.status == 303)
            #expect(try await Self.state(harness, job: waitingID) == .cancelled)

            let replayed = try await Self.post(
                admin, "/ui/events/\(waiting.event_id)/replay", form: "csrf=\(csrf)&mode=shadow", cookie: cookie)
            #expect(replayed.status == 303)
            let jobs = try await harness.jobs(of: waiting.event_id)
            #expect(jobs.map(\.state) == [.cancelled, .shadow])
            #expect(jobs.last?.origin == .replay)
        }
    }

    @Test("with writes off the page is read-only: no form, and a post is refused")
    func readOnly() async throws {
        try await Self.run(write: false) { harness, client in
            let dead = try await harness.post(client, DeliveryHarness.deployed("com/acme/none.jar"))
            let job = try #require(try await harness.waitForJobs(of: dead.event_id).first)
            let page = try await harness.admin.fetch(
                "/ui/jobs/\(job.id)", headers: [("Authorization", "Bearer \(Self.token)")])
            #expect(page.body.contains("ui.write: true"))
            #expect(!page.body.contains("name=\"csrf\""))
            let refused = try await Self.post(harness.admin, "/ui/jobs/\(job.id)/retry", form: "csrf=00")
            #expect(refused.status == 403)
            #expect(try await Self.state(harness, job: job.id) == .dead)
        }
    }
}

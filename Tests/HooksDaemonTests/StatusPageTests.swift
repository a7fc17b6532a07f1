import ArtifactoryEvents
import Foundation
import HooksDaemon
import HummingbirdTesting
import Storage
import Testing

@Suite("Status page: read-only pages on the admin listener", .timeLimit(.minutes(1)))
struct StatusPageTests {
    static let rules = """
        rules:
          - name: tag-on-deploy
            on: artifact.deployed
            do:
              - set_properties: { qa.status: pending }
          - name: builds-only
            on: build.uploaded
            do:
              - set_properties: { never: "1" }
                repo: libs-release-local
                path: "builds/{{ data.build_name }}"

        """

    /// An event whose every field a browser would act on if it were not escaped.
    static let hostile =
        #"{"domain":"artifact","event_type":"deployed","jpd_origin":"javascript:alert(1)","data":{"repo_key":"<script>alert('repo')</script>","path":"x\"><img src=x onerror=alert(1)>.jar","name":"a.jar","size":5}}"#

    @Test("every page answers with its content, a strict policy and escaped event text")
    func pages() async throws {
        try await DeliveryHarness.run(rules: Self.rules) { harness, client in
            // Given a job that succeeds, one that dies (the file is missing: 404) and a hostile event
            let done = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let dead = try await harness.post(client, DeliveryHarness.deployed("com/acme/missing.jar"))
            let hostile = try await harness.post(client, Self.hostile)
            let doneJob = try #require(try await harness.waitForJobs(of: done.event_id).first)
            let deadJob = try #require(try await harness.waitForJobs(of: dead.event_id).first)
            #expect(doneJob.state == .done)
            #expect(deadJob.state == .dead)
            let admin = harness.admin

            // The overview: numbers, both charts with bars, links to the lists
            let overview = try await admin.fetch("/ui")
            #expect(overview.status == 200)
            #expect(overview.header("Content-Type").hasPrefix("text/html"))
            let policy = overview.header("Content-Security-Policy")
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("style-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("form-action 'self'"))
            #expect(overview.header("X-Content-Type-Options") == "nosniff")
            // A browser sends `Origin: null` with forms of a `no-referrer` page, which the origin check refuses.
            #expect(overview.header("Referrer-Policy") == "same-origin")
            #expect(overview.body.contains(#"href="/ui/jobs?state=dead""#))
            #expect(overview.body.contains("dead letters"))
            #expect(overview.body.contains(#"<rect class="s-stored""#))
            #expect(overview.body.contains(#"<rect class="s-done""#))
            #expect(overview.body.contains(#"<rect class="s-dead""#))
            #expect(overview.body.contains("ui.write: true"), "the read-only page says how to enable writes")
            #expect(!overview.body.contains("<script"))

            // The events list and the hostile event: escaped everywhere
            let events = try await admin.fetch("/ui/events")
            #expect(events.status == 200)
            for id in [done.event_id, dead.event_id, hostile.event_id] {
                #expect(events.body.contains(#"href="/ui/events/\#(id)""#))
            }
            #expect(!events.body.contains("<script>alert"))
            #expect(!events.body.contains("<img src=x"))
            #expect(events.body.contains("&lt;script&gt;alert(&#39;repo&#39;)&lt;/script&gt;"))
            let shown = try await admin.fetch("/ui/events/\(hostile.event_id)")
            #expect(shown.status == 200)
            #expect(!shown.body.contains("<script>alert"))
            #expect(!shown.body.contains("<img src=x"))
            #expect(!shown.body.contains(#"href="javascript"#))
            #expect(shown.body.contains("javascript:alert(1)"), "shown as text")

            // An event's page: body, the rules' explanation and its jobs
            let event = try await admin.fetch("/ui/events/\(dead.event_id)")
            #expect(event.body.contains("com/acme/missing.jar"))
            #expect(event.body.contains("tag-on-deploy"))
            #expect(event.body.contains("does not take artifact.deployed"), "why builds-only did not match")
            #expect(event.body.contains(#"href="/ui/jobs/\#(deadJob.id)""#))

            // Jobs: the dead letters list has the dead job only; its page has Artifactory's answer
            let deadLetters = try await admin.fetch("/ui/jobs?state=dead")
            #expect(deadLetters.body.contains(#"href="/ui/jobs/\#(deadJob.id)""#))
            #expect(!deadLetters.body.contains(#"href="/ui/jobs/\#(doneJob.id)""#))
            let job = try await admin.fetch("/ui/jobs/\(deadJob.id)")
            #expect(job.body.contains("HTTP 404"))
            #expect(job.body.contains("PUT "))
            #expect(job.body.contains("api/storage/libs-release-local/com/acme/missing.jar"))

            // Rules: the set in force, where each is written, what it did
            let rules = try await admin.fetch("/ui/rules")
            #expect(rules.body.contains("tag-on-deploy"))
            #expect(rules.body.contains("rules.yml:2"))
            #expect(rules.body.contains(#"href="/ui/jobs?state=dead&amp;rule=tag-on-deploy""#))

            let style = try await admin.fetch("/ui/style.css")
            #expect(style.status == 200)
            #expect(style.header("Content-Type").hasPrefix("text/css"))

            #expect(try await admin.fetch("/ui/events/999999").status == 404)
            #expect(try await admin.fetch("/ui/jobs/nope").status == 404)
        }
    }

    @Test("filters narrow the lists; a filter that does not read says why")
    func filters() async throws {
        try await DeliveryHarness.run(rules: Self.rules) { harness, client in
            let a = try await harness.post(client, DeliveryHarness.deployed("com/acme/a.jar"))
            let build = try await harness.post(
                client, #"{"domain":"build","event_type":"uploaded","data":{"build_name":"app","build_number":"7"}}"#)
            let admin = harness.admin
            func listed(_ page: PageAnswer, _ id: Int64) -> Bool { page.body.contains(#"href="/ui/events/\#(id)""#) }

            let all = try await admin.fetch("/ui/events")
            #expect(listed(all, a.event_id) && listed(all, build.event_id))
            let byKind = try await admin.fetch("/ui/events?kind=build.*")
            #expect(!listed(byKind, a.event_id) && listed(byKind, build.event_id))
            let byBuild = try await admin.fetch("/ui/events?build=app")
            #expect(!listed(byBuild, a.event_id) && listed(byBuild, build.event_id))
            let byRepo = try await admin.fetch("/ui/events?repo=libs-release-local")
            #expect(listed(byRepo, a.event_id) && !listed(byRepo, build.event_id))
            let byEndpoint = try await admin.fetch("/ui/events?endpoint=tok")
            #expect(!listed(byEndpoint, a.event_id) && !listed(byEndpoint, build.event_id))
            let future = try await admin.fetch("/ui/events?since=2100-01-01T00:00:00Z")
            #expect(!listed(future, a.event_id))
            // The form shows the filter back, escaped.
            let typed = try await admin.fetch("/ui/events?repo=%22%3E%3Cb%3E")
            #expect(typed.body.contains(#"value="&quot;&gt;&lt;b&gt;""#))
            let bad = try await admin.fetch("/ui/events?kind=nodot&since=yesterday")
            #expect(bad.status == 200)
            #expect(bad.body.contains("Kind takes DOMAIN.EVENT_TYPE"))
            #expect(bad.body.contains("Since takes a duration"))
            #expect(!listed(bad, a.event_id))

            let jobs = try await harness.waitForJobs(of: a.event_id)
            let byRule = try await admin.fetch("/ui/jobs?rule=tag-on-deploy")
            #expect(byRule.body.contains(#"href="/ui/jobs/\#(jobs[0].id)""#))
            let otherRule = try await admin.fetch("/ui/jobs?rule=builds-only&target=artifactory")
            #expect(!otherRule.body.contains(#"href="/ui/jobs/\#(jobs[0].id)""#))
            let onTarget = try await admin.fetch("/ui/jobs?target=chat")
            #expect(!onTarget.body.contains(#"href="/ui/jobs/\#(jobs[0].id)""#))
        }
    }

    /// The event ids a list page links to, in page order.
    static func listedEvents(_ page: PageAnswer) -> [Int64] {
        page.body.matches(of: /href="\/ui\/events\/(\d+)"/).compactMap { Int64($0.output.1) }
    }

    /// The page's "Older" link, unescaped, or nil.
    static func olderLink(_ page: PageAnswer) -> String? {
        page.body.firstMatch(of: /class="pager"><a href="([^"]+)"/)
            .map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    @Test("lists page by id: 50 a page, newest first; Older keeps the filter; the last page has no link")
    func paging() async throws {
        try await DeliveryHarness.run(rules: Self.rules) { harness, client in
            // Given 60 deployments and a build upload the filter leaves out
            var deployed: [Int64] = []
            for index in 0..<60 {
                deployed.append(
                    try await harness.post(client, DeliveryHarness.deployed("com/acme/\(index).jar")).event_id)
            }
            _ = try await harness.post(
                client, #"{"domain":"build","event_type":"uploaded","data":{"build_name":"app","build_number":"7"}}"#)

            // The first page: the 50 newest deployments, and a link to the older ones with the filter
            let first = try await harness.admin.fetch("/ui/events?kind=artifact.*")
            #expect(Self.listedEvents(first) == Array(deployed.reversed().prefix(50)))
            let older = try #require(Self.olderLink(first))
            #expect(older == "/ui/events?kind=artifact.%2A&before=\(deployed[10])")

            // The second: the 10 oldest, and no further link
            let second = try await harness.admin.fetch(older)
            #expect(Self.listedEvents(second) == Array(deployed.prefix(10).reversed()))
            #expect(Self.olderLink(second) == nil)
        }
    }

    @Test("ui.enabled: false serves no page; /metrics stays")
    func disabled() async throws {
        try await DeliveryHarness.run(rules: Self.rules, extra: "ui:\n  enabled: false\n") { harness, _ in
            let page = try await harness.admin.fetch("/ui")
            let metrics = try await harness.admin.fetch("/metrics")
            #expect(page.status == 404)
            #expect(metrics.status == 200)
        }
    }
}

import ArtifactoryEvents
import ArtifactoryRequests
import Rules
import Testing

/// `artifactory:` and `platform:` → the exact request, and event values that cannot change its
/// shape.
struct GenericCallPlanningTests {
    static let rules = """
        rules:
          - name: distribute
            on: release_bundle_v2.release_bundle_v2_completed
            do:
              - platform:
                  method: POST
                  path: "lifecycle/api/v2/distribution/distribute/{{ data.release_bundle_name }}/{{ data.release_bundle_version }}"
                  query:
                    repository_key: "{{ data.repository_key }}"
                    project: "p&q=1"
                  body:
                    auto_create_missing_repositories: false
                    distribution_rules:
                      - site_name: "*"
                        city_name: "{{ data.release_bundle_name }}"
                    count: 2
                    ratio: -0.5e3
                    nothing: ~
                    quoted: "true"
          - name: aql
            on: release_bundle_v2.release_bundle_v2_completed
            do:
              - artifactory:
                  method: post
                  path: api/search/aql
                  body: 'items.find({"name":"{{ data.release_bundle_name }}"})'
          - name: typed
            on: release_bundle_v2.release_bundle_v2_completed
            do:
              - artifactory:
                  method: PATCH
                  path: "api/v2/x/{{ data.release_bundle_version }}.json"
                  body: "v={{ data.release_bundle_version }}"
                  content_type: application/x-www-form-urlencoded
              - artifactory: { method: GET, path: api/system/ping }

        """

    static func event(name: String, version: String = "2.4.1") -> String {
        var quotedName = ""
        JSONObjectWriter.appendQuoted(name, to: &quotedName)
        return
            #"{"domain":"release_bundle_v2","event_type":"release_bundle_v2_completed","data":{"repository_key":"release-bundles-v2","release_bundle_name":\#(quotedName),"release_bundle_version":"\#(version)"}}"#
    }

    func planned(name: String, version: String = "2.4.1") throws -> Plan {
        let ruleSet = try Fixtures.rules(Self.rules)
        return ruleSet.plan(
            try Fixtures.event(json: Self.event(name: name, version: version)), context: Fixtures.context)
    }

    @Test func plansTheExactRequests() throws {
        let plan = try planned(name: "payments release")
        #expect(plan.failures == [])
        try #require(plan.actions.count == 4)

        let distribute = plan.actions[0]
        #expect(distribute.kind == .platform)
        #expect(distribute.request.base == .platform)
        #expect(distribute.request.method == .post)
        #expect(
            distribute.request.pathAndQuery
                == "lifecycle/api/v2/distribution/distribute/payments%20release/2.4.1"
                + "?repository_key=release-bundles-v2&project=p%26q%3D1")
        #expect(
            distribute.request.body
                == #"{"auto_create_missing_repositories":false,"distribution_rules":[{"site_name":"*","#
                + #""city_name":"payments release"}],"count":2,"ratio":-0.5e3,"nothing":null,"quoted":"true"}"#)
        #expect(distribute.request.contentType == "application/json")
        #expect(distribute.subject == "bundle:payments release@2.4.1")
        #expect(distribute.effects == [])

        let aql = plan.actions[1]
        #expect(aql.kind == .artifactory)
        #expect(aql.request.base == .artifactory)
        #expect(aql.request.pathAndQuery == "api/search/aql")
        #expect(aql.request.body == #"items.find({"name":"payments release"})"#)
        #expect(aql.request.contentType == "text/plain")

        let typed = plan.actions[2]
        #expect(typed.request.method == .patch)
        #expect(typed.request.pathAndQuery == "api/v2/x/2.4.1.json")
        #expect(typed.request.contentType == "application/x-www-form-urlencoded")

        let ping = plan.actions[3]
        #expect(ping.request == ArtifactoryRequest(method: .get, pathAndQuery: "api/system/ping"))
    }

    @Test(arguments: [
        "%2e%2e", "?x=1", "#top", "a b", "@evil.example.com:80", "%00",
    ])
    func anEventValueStaysInItsSegment(_ hostile: String) throws {
        let plan = try planned(name: hostile)
        #expect(plan.failures == [])
        let distribute = try #require(plan.actions.first)
        let path = distribute.request.path
        // Exactly the written segments, the value one of them and encoded whole.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        #expect(segments.count == 7)
        #expect(segments[5] == Substring(URLEncoding.percentEncode(hostile)))
        #expect(!segments[5].contains("?") && !segments[5].contains("#"))
        #expect(distribute.request.pathAndQuery.hasPrefix("lifecycle/api/v2/distribution/distribute/"))
        #expect(distribute.request.base == .platform)
    }

    @Test(arguments: ["..", ".", "../admin", "//evil.example.com", "a/b"])
    func aValueThatWouldMoveThePathFailsThePlan(_ hostile: String) throws {
        let plan = try planned(name: hostile)
        #expect(!plan.actions.contains { $0.rule == "distribute" })
        let failure = try #require(plan.failures.first { $0.rule == "distribute" })
        #expect(failure.code == .badPath)
        #expect(failure.kind == .platform)
    }

    @Test func aQuoteOrNewlineCannotBreakTheJSONBody() throws {
        let hostile = "x\",\"site_name\":\"evil\"}],\"auto_create_missing_repositories\":true,\"a\":{\"b\":\"\n\\"
        let hostilePlan = try Fixtures.rules(Self.rules).plan(
            try Fixtures.event(json: Self.event(name: hostile)), context: Fixtures.context)
        let body = try #require(hostilePlan.actions.first { $0.rule == "distribute" }?.request.body)
        let parsed = try JSONParser.parse(Array(body.utf8))
        #expect(parsed["auto_create_missing_repositories"] == .bool(false))
        guard case .array(let rules)? = parsed["distribution_rules"] else {
            Issue.record("distribution_rules is not a list: \(body)")
            return
        }
        #expect(rules.count == 1)
        #expect(rules[0]["site_name"] == .string("*"))
        #expect(rules[0]["city_name"] == .string(hostile))
        #expect(
            parsed.objectValue?.keys.sorted() == [
                "auto_create_missing_repositories", "count", "distribution_rules", "nothing", "quoted", "ratio",
            ])
    }

    @Test func anEventWithoutASubjectOrdersByItsID() throws {
        let ruleSet = try Fixtures.rules(
            """
            rules:
              - name: any
                on: user.*
                do:
                  - artifactory: { method: POST, path: "api/security/x/{{ event.event_type }}" }

            """)
        let event = try Fixtures.event(json: #"{"domain":"user","event_type":"locked","data":{}}"#)
        let plan = ruleSet.plan(event, context: Fixtures.context)
        let action = try #require(plan.actions.first)
        #expect(action.subject == "event:42")
        #expect(action.request.pathAndQuery == "api/security/x/locked")
    }

    @Test func theBaseRoundTripsThroughTheStoredJSON() throws {
        let plan = try planned(name: "payments")
        for action in plan.actions {
            let read = try PlannedAction(storedJSON: action.storedJSON)
            #expect(read.request == action.request)
            #expect(read.kind == action.kind)
        }
        #expect(plan.actions[0].storedJSON.contains(#""base":"platform""#))
        #expect(!plan.actions[1].storedJSON.contains("\"base\""))
        // A row written before there was a base is an Artifactory call.
        let old = try PlannedAction(
            storedJSON:
                #"{"action_index":0,"kind":"delete","method":"DELETE","path":"libs/a.jar","rule":"r","subject":"s"}"#)
        #expect(old.request.base == .artifactory)
        #expect(throws: StoredJSONError.self) {
            try PlannedAction(
                storedJSON:
                    #"{"action_index":0,"base":"elsewhere","kind":"platform","method":"GET","path":"x","rule":"r","subject":"s"}"#
            )
        }
    }

    @Test func thePlatformURLIsTheArtifactoryURLWithoutItsContextPath() {
        #expect(
            ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: "https://h.example.com/artifactory/")
                == "https://h.example.com")
        #expect(
            ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: "https://h.example.com") == "https://h.example.com")
        #expect(
            ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: "http://h:8082/jf/artifactory")
                == "http://h:8082/jf")
        #expect(
            ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: "https://h/my-artifactory")
                == "https://h/my-artifactory")
    }

    @Test func rulesTestShowsTheBaseTheBodyAndItsType() throws {
        let event = try Fixtures.event(json: Self.event(name: "payments"))
        let plan = try planned(name: "payments")
        let report = PlanReport(
            event: event, plan: plan, explanations: [], explain: false,
            baseURL: "https://art.example.com/artifactory/")
        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  1. distribute do[0] platform bundle:payments@2.4.1"))
        #expect(
            lines.contains(
                "     POST https://art.example.com/lifecycle/api/v2/distribution/distribute/payments/2.4.1"
                    + "?repository_key=release-bundles-v2&project=p%26q%3D1  (platform base)"))
        #expect(lines.contains("     POST https://art.example.com/artifactory/api/search/aql"))
        #expect(lines.contains("     Content-Type: text/plain"))
        #expect(lines.contains("     PATCH https://art.example.com/artifactory/api/v2/x/2.4.1.json"))
        #expect(lines.contains("     Content-Type: application/x-www-form-urlencoded"))

        let configured = PlanReport(
            event: event, plan: plan, explanations: [], explain: false, baseURL: "https://art.example.com/artifactory",
            platformURL: "https://jfrog.example.com")
        #expect(configured.text.contains("POST https://jfrog.example.com/lifecycle/api/v2/"))
    }
}

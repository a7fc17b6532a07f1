import ArtifactoryRequests
import Foundation
import Rules
import Testing

@testable import Rules

/// Templates render event fields exactly, and a missing field fails the plan instead of
/// rendering as an empty string.
struct TemplateTests {
    /// Plans a rule that sets `p` to `value`. The default kinds include one that carries
    /// `transaction_id`, so templates naming it pass the check on artifact events.
    static func plan(
        _ value: String, on kind: String = "[artifact.deployed, distribution.distribute_started]", event: String
    ) throws -> Plan {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: render
                on: \(kind)
                do:
                  - set_properties: { p: "\(value)" }
                    repo: r
                    path: a.jar
            """)
        return rules.plan(try Fixtures.event(event), context: Fixtures.context)
    }

    @Test(arguments: [
        ("{{ data.sha256 }}", "artifact/deployed", "29e0d04004fdeee2cd68651a27ae6020b1b98dd35cc3942745a93cc2a13a4ced"),
        ("{{data.size}}", "artifact/deployed", "1843307"),
        ("{{ data.transaction_id }}", "edge/large-integer", "123456789012345678901"),
        ("{{ event.domain }}.{{ event.event_type }}", "artifact/deployed", "artifact.deployed"),
        ("{{ event.source }}", "artifact/deployed", "jfrog%2Fjfrt%4001j9x3k7m2q8r4t6v0w5y1z3ab"),
        ("{{ event.origin }}", "artifact/deployed", "https%3A%2F%2Fartifactory.example.com"),
        ("{{ event.id }}", "artifact/deployed", "42"),
        ("{{ rule.name }}", "artifact/deployed", "render"),
        ("{{ now }}", "artifact/deployed", "2025-11-29T10%3A00%3A00Z"),
        ("v{{ data.name }}-{{ data.size }}!", "artifact/deployed", "vpayments-core-2.4.1.jar-1843307%21"),
    ])
    func rendersEventFields(template: String, event: String, expected: String) throws {
        let plan = try Self.plan(template, event: event)
        #expect(plan.failures == [])
        #expect(
            plan.actions.map(\.request.pathAndQuery) == ["api/storage/r/a.jar?properties=p=\(expected)&recursive=0"])
    }

    @Test(arguments: [
        (
            "{{ data.tag }}", "[artifact.deployed, docker.pushed]", "artifact/deployed", "missing_field",
            "data.tag is missing from the event"
        ),
        (
            "{{ data.platforms }}", "docker.pushed", "docker/pushed", "not_a_value",
            "data.platforms is a list or an object, not one value"
        ),
        (
            "{{ event.origin }}", "app_trust.*", "app_trust/entry_gate_evaluation", "missing_field",
            "event.origin (jpd_origin) is missing from the event"
        ),
        (
            "{{ data.source_repo_path }}", "artifact.*", "artifact/deployed", "missing_field",
            "data.source_repo_path is missing from the event"
        ),
    ])
    func missingFieldsFailThePlan(template: String, kind: String, event: String, code: String, message: String)
        throws
    {
        let plan = try Self.plan(template, on: kind, event: event)
        #expect(plan.matchedRules == ["render"])
        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code.rawValue) == [code])
        #expect(plan.failures.map(\.message) == [message])
        #expect(plan.failures.map(\.rule) == ["render"])
        #expect(plan.failures.map(\.actionIndex) == [0])
        #expect(plan.failures.map(\.kind) == [.setProperties])
    }

    @Test(arguments: [#""tag": """#, #""tag": null"#])
    func emptyAndNullFieldsFailThePlan(member: String) throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: r
                on: artifact.deployed
                do:
                  - set_properties: { p: "{{ data.tag }}" }
                    repo: r
                    path: a
            """.replacingOccurrences(of: "artifact.deployed", with: "future.thing"))
        let event = try Fixtures.event(
            json: #"{"domain":"future","event_type":"thing","data":{"repo_key":"r","path":"a",\#(member)}}"#)
        let plan = rules.plan(event, context: Fixtures.context)
        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.missingField])
    }

    @Test func nestedDataMembersRender() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: r
                on: future.thing
                when: { data.meta.team: payments }
                do:
                  - set_properties: { team: "{{ data.meta.team }}" }
                    repo: "{{ data.meta.repo }}"
                    path: x
            """)
        let event = try Fixtures.event(
            json: #"{"domain":"future","event_type":"thing","data":{"meta":{"team":"payments","repo":"libs"}}}"#)
        let plan = rules.plan(event, context: Fixtures.context)
        #expect(plan.actions.map(\.request.pathAndQuery) == ["api/storage/libs/x?properties=team=payments&recursive=0"])
    }

    @Test func oneFailingActionStopsItsWholeRuleButNotOthers() throws {
        // Given: the second action of the first rule names a field deployed events lack
        let rules = try Fixtures.rules(
            """
            rules:
              - name: partly-broken
                on: artifact.*
                do:
                  - set_properties: { a: b }
                  - copy: { to: "libs-qa-local/{{ data.target_repo_path }}" }
              - name: fine
                on: artifact.deployed
                do:
                  - delete_properties: [a]
            """)

        // When
        let plan = rules.plan(try Fixtures.event("artifact/deployed"), context: Fixtures.context)

        // Then
        #expect(plan.matchedRules == ["partly-broken", "fine"])
        #expect(plan.actions.map(\.rule) == ["fine"])
        #expect(
            plan.failures.map(\.description) == [
                "partly-broken do[1] copy: data.target_repo_path is missing from the event"
            ])
    }

    @Test func actionsWithoutATargetFail() throws {
        // A rule on an unknown kind cannot be checked statically; planning reports the gap.
        let rules = try Fixtures.rules(
            """
            rules:
              - name: r
                on: future.thing
                do:
                  - promote_build: { status: s }
                  - delete: {}
            """)
        let event = try Fixtures.event(json: #"{"domain":"future","event_type":"thing","data":{}}"#)
        let plan = rules.plan(event, context: Fixtures.context)
        #expect(plan.failures.map(\.code) == [.missingTarget, .missingTarget])
        #expect(
            plan.failures.map(\.message) == [
                "future.thing events carry no build_name; give the action a build_name:",
                "future.thing events name no repository; give the action a repo:",
            ])
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000+0000"),
        (951_782_400.5, "2000-02-29T00:00:00Z", "2000-02-29T00:00:00.500+0000"),
        (1_764_410_400.123, "2025-11-29T10:00:00Z", "2025-11-29T10:00:00.123+0000"),
        (-1.0, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.000+0000"),
        (4_107_542_399.999, "2100-02-28T23:59:59Z", "2100-02-28T23:59:59.999+0000"),
    ])
    func timestampsAreUTC(seconds: Double, iso: String, promotion: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(UTCTimestamp.iso8601(date) == iso)
        #expect(UTCTimestamp.promotion(date) == promotion)
    }
}

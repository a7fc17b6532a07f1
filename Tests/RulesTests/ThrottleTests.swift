import ArtifactoryEvents
import Foundation
import Rules
import Testing
import YAMLDiagnostics

@Suite("Rules: once_within and key")
struct ThrottleTests {
    static let event = """
        {"domain":"build","event_type":"uploaded","data":{"build_name":"payments-service","build_number":"1024",
        "build_started":"2024-05-14T09:21:07.512+0000"}}
        """

    static func plan(_ yaml: String) throws -> Plan {
        try Fixtures.rules(yaml).plan(try Fixtures.event(json: Self.event), context: Fixtures.context)
    }

    @Test("a rule's once_within gives all its actions one claim: the rule's name and the rendered key")
    func ruleClaim() throws {
        let plan = try Self.plan(
            """
            rules:
              - name: notify
                on: build.uploaded
                once_within: 10m
                key: "{{ data.build_name }}"
                do:
                  - promote_build: { status: staged }
                  - promote_build: { status: tested }
            """)
        let claim = ThrottleClaim(scope: "notify", key: "payments-service", window: .seconds(600))
        #expect(plan.actions.map(\.throttle) == [claim, claim])
        #expect(claim.description == #"once within 10m per key "payments-service""#)
    }

    @Test("an action's once_within is its own (RULE#INDEX), in place of the rule's; without key: the subject")
    func actionClaim() throws {
        let plan = try Self.plan(
            """
            rules:
              - name: notify
                on: build.uploaded
                once_within: 1h
                do:
                  - promote_build: { status: staged }
                  - promote_build: { status: tested }
                    once_within: 30s
                    key: "{{ data.build_number }}"
            """)
        #expect(
            plan.actions.map(\.throttle) == [
                ThrottleClaim(scope: "notify", key: "build:payments-service#1024", window: .seconds(3600)),
                ThrottleClaim(scope: "notify#1", key: "1024", window: .seconds(30)),
            ])
    }

    @Test("a for_each entry's once_within throttles its expansion job")
    func forEachClaim() throws {
        let plan = try Self.plan(
            """
            rules:
              - name: tag-build
                on: build.uploaded
                do:
                  - for_each: build_artifacts
                    once_within: 2h
                    key: "{{ data.build_name }}"
                    set_properties: { seen: "1" }
            """)
        #expect(plan.failures.isEmpty)
        #expect(
            plan.actions.map(\.throttle) == [
                ThrottleClaim(scope: "tag-build#0", key: "payments-service", window: .seconds(7200))
            ])
    }

    @Test("a rule without once_within claims nothing")
    func unthrottled() throws {
        let plan = try Self.plan(
            """
            rules:
              - name: notify
                on: build.uploaded
                do:
                  - promote_build: { status: staged }
            """)
        #expect(plan.actions.map(\.throttle) == [nil])
    }

    @Test("a key that cannot be rendered fails the rule's actions, as any template does")
    func keyFails() throws {
        let plan = try Self.plan(
            """
            rules:
              - name: notify
                on: build.*
                once_within: 10m
                key: "{{ data.build_repo }}"
                do:
                  - promote_build: { status: staged }
            """)
        #expect(plan.actions.isEmpty)
        #expect(plan.failures.map(\.code) == [.missingField])
    }

    @Test(
        "once_within takes a whole number and s, m, h or d, from 1s to 366d",
        arguments: [
            ("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400), ("366d", 366 * 86400),
        ] as [(String, Int64)])
    func windows(text: String, seconds: Int64) throws {
        let plan = try Self.plan(
            """
            rules:
              - name: notify
                on: build.uploaded
                once_within: \(text)
                do:
                  - promote_build: { status: staged }
            """)
        #expect(plan.actions.first?.throttle?.window == .seconds(seconds))
    }

    @Test(
        "a window that is not one is refused at its value",
        arguments: ["0s", "10", "m", "1.5h", "10 m", "-1m", "367d", "10M", "1w", "99999999999s"])
    func badWindows(text: String) throws {
        let check = RuleCheck.run([
            RuleSource(
                file: "t.yml",
                text: """
                    rules:
                      - name: notify
                        on: build.uploaded
                        once_within: "\(text)"
                        do:
                          - promote_build: { status: staged }
                    """)
        ])
        #expect(
            check.diagnostics.map(\.description) == [
                "t.yml:4:18: error: rules[0].once_within: expected a duration from 1s to 366d, a whole number and a "
                    + "unit (30s, 10m, 2h, 1d); found \"\(text)\""
            ])
    }

    @Test("rules test shows the claim and says the store decides it")
    func report() throws {
        let ruleSet = try Fixtures.rules(
            """
            rules:
              - name: notify
                on: build.uploaded
                once_within: 10m
                key: "{{ data.build_name }}"
                do:
                  - promote_build: { status: staged }
            """)
        let event = try Fixtures.event(json: Self.event)
        let text = PlanReport(
            event: event, plan: ruleSet.plan(event, context: Fixtures.context),
            explanations: ruleSet.explain(event, context: Fixtures.context), explain: false,
            baseURL: "https://a.example/artifactory"
        ).text
        #expect(
            text.contains(
                #"     throttled: once within 10m per key "payments-service" (the store decides when the event "#
                    + "arrives: sent only if no event with this key opened the window)"), "\(text)")
    }
}

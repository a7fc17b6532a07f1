import ArtifactoryEvents
import Foundation
import Rules
import Testing

@Suite("Rules: mode: shadow")
struct ShadowModeTests {
    /// One rule with `mode` (none when `nil`) that tags and copies a deployed jar.
    static func rules(mode: String?) throws -> RuleSet {
        try Fixtures.rules(
            """
            rules:
              - name: trial
            \(mode.map { "    mode: \($0)\n" } ?? "")    on: artifact.deployed
                do:
                  - set_properties: { qa: pending }
                  - copy: { to: "libs-qa-local/{{ data.path }}" }
            """)
    }

    static func context(default mode: RuleMode) -> PlanContext {
        var context = Fixtures.context
        context.defaultMode = mode
        return context
    }

    @Test(
        "a rule's own mode wins; without one it takes the config's rules.mode",
        arguments: [
            (nil, RuleMode.live, RuleMode.live), (nil, .shadow, .shadow), ("live", .shadow, .live),
            ("shadow", .live, .shadow), ("shadow", .shadow, .shadow),
        ] as [(String?, RuleMode, RuleMode)])
    func resolution(rule: String?, configured: RuleMode, expected: RuleMode) throws {
        let ruleSet = try Self.rules(mode: rule)
        #expect(ruleSet.rules.first?.mode == rule.flatMap(RuleMode.init(parsing:)))
        let plan = ruleSet.plan(try Fixtures.event("artifact/deployed"), context: Self.context(default: configured))
        #expect(plan.actions.count == 2)
        #expect(plan.actions.allSatisfy { $0.mode == expected })
    }

    @Test("a shadow rule plans exactly the requests it would send live")
    func sameRequests() throws {
        let event = try Fixtures.event("artifact/deployed")
        let live = try Self.rules(mode: "live").plan(event, context: Fixtures.context)
        let shadow = try Self.rules(mode: "shadow").plan(event, context: Fixtures.context)
        #expect(shadow.matchedRules == live.matchedRules)
        #expect(shadow.actions.map(\.request) == live.actions.map(\.request))
        #expect(shadow.actions.map(\.subject) == live.actions.map(\.subject))
        #expect(shadow.actions.map(\.effects) == live.actions.map(\.effects))
        // The stored request does not carry the mode: the job's state does.
        #expect(shadow.actions.map(\.storedJSON) == live.actions.map(\.storedJSON))
    }

    @Test("rules test marks a shadow rule and its requests, and says they are never sent")
    func report() throws {
        let ruleSet = try Self.rules(mode: nil)
        let event = try Fixtures.event("artifact/deployed")
        let context = Self.context(default: .shadow)
        let text = PlanReport(
            event: event, plan: ruleSet.plan(event, context: context),
            explanations: ruleSet.explain(event, context: context), explain: false,
            baseURL: "https://a.example/artifactory"
        ).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  matched  trial (test.yml:2) [shadow: recorded, never sent]"), "\(text)")
        #expect(
            lines.contains(
                "requests: 2 (nothing sent; 2 in shadow mode: the daemon records them, never sends them)"), "\(text)")
        #expect(lines.filter { $0.hasSuffix(" [shadow]") }.count == 2, "\(text)")

        // Live, nothing says shadow.
        let live = PlanReport(
            event: event, plan: ruleSet.plan(event, context: Fixtures.context),
            explanations: ruleSet.explain(event, context: Fixtures.context), explain: false,
            baseURL: "https://a.example/artifactory"
        ).text
        #expect(!live.contains("shadow"))
        #expect(live.contains("requests: 2 (nothing sent)\n"))
    }
}

import ArtifactoryRequests
import Foundation
import Rules
import Testing

/// Self-caused events skip rules unless they opt in, and the hop limit stops every chain.
struct LoopGuardTests {
    static let yaml = """
        rules:
          - name: default-skips
            on: artifact_property.added
            do: [delete_properties: [a]]
          - name: opts-in
            on: artifact_property.added
            on_self_caused: true
            do: [delete_properties: [b]]
        """

    @Test func freshEventsRunEveryRule() throws {
        let plan = try Fixtures.rules(Self.yaml).plan(
            try Fixtures.event("artifact_property/added"), context: Fixtures.context)
        #expect(plan.matchedRules == ["default-skips", "opts-in"])
        #expect(plan.skippedSelfCaused == [])
    }

    @Test func selfCausedEventsRunOnlyRulesThatOptIn() throws {
        let rules = try Fixtures.rules(Self.yaml)
        let event = try Fixtures.event("artifact_property/added")
        let context = PlanContext(eventID: 7, now: Fixtures.now, selfCaused: true, hop: 1)

        let plan = rules.plan(event, context: context)

        #expect(plan.matchedRules == ["opts-in"])
        #expect(plan.skippedSelfCaused == ["default-skips"])
        #expect(plan.actions.map(\.request.pathAndQuery).allSatisfy { $0.hasSuffix("?properties=b&recursive=0") })
        #expect(rules.explain(event, context: context).map(\.outcome) == [.selfCaused, .matched])
    }

    @Test(arguments: [(2, false), (3, true), (9, true)])
    func hopLimitStopsSelfCausedChains(hop: Int, stopped: Bool) throws {
        let rules = try Fixtures.rules(Self.yaml)
        let event = try Fixtures.event("artifact_property/added")
        let context = PlanContext(eventID: 7, now: Fixtures.now, selfCaused: true, hop: hop, hopLimit: 3)

        let plan = rules.plan(event, context: context)

        #expect(plan.stoppedByHopLimit == stopped)
        #expect(plan.matchedRules == (stopped ? [] : ["opts-in"]))
        #expect(rules.explain(event, context: context).allSatisfy { ($0.outcome == .hopLimit) == stopped })
    }

    @Test func theHopLimitIgnoresEventsPeopleCaused() throws {
        let context = PlanContext(eventID: 7, now: Fixtures.now, selfCaused: false, hop: 10, hopLimit: 3)
        let plan = try Fixtures.rules(Self.yaml).plan(try Fixtures.event("artifact_property/added"), context: context)
        #expect(!plan.stoppedByHopLimit)
        #expect(plan.matchedRules.count == 2)
    }
}

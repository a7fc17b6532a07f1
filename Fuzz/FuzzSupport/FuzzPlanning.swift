import ArtifactoryEvents
import Foundation
import Rules

/// What the rule targets plan with: one fixed context, so a plan depends only on the rules and
/// the event.
public enum FuzzPlanning {
    /// Event 1, planned at a fixed moment.
    public static let context = PlanContext(eventID: 1, now: Date(timeIntervalSince1970: 1_750_000_000))

    /// Plans every fixture event with `rules`, twice: the plans are equal (planning is pure), and
    /// every planned request stays under its base URL.
    public static func checkPlans(_ rules: RuleSet) {
        for event in FuzzFixtures.events {
            let plan = rules.plan(event, context: context)
            fuzzCheck(plan == rules.plan(event, context: context), "two plans of one event differ")
            for action in plan.actions { fuzzCheckStaysUnderBase(action.request) }
            _ = rules.explain(event, context: context)
        }
    }
}

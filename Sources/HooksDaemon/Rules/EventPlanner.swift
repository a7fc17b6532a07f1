public import ArtifactoryEvents
public import Foundation
public import Rules
public import Storage

/// Plans one event with a rule set, in the store's terms, the same way at ingest and for events
/// whose planning was deferred; counts what the loop guard held back.
public struct EventPlanner: Sendable {
    /// `worker.max_hops`.
    let maxHops: Int
    /// `artifactory.project`, for promotions whose action names no project.
    let defaultProject: String?
    let metrics: DaemonMetrics

    public init(maxHops: Int, defaultProject: String? = nil, metrics: DaemonMetrics) {
        self.maxHops = maxHops
        self.defaultProject = defaultProject
        self.metrics = metrics
    }

    /// The plan of `event` (stored as `eventID`) under `rules`, honouring the loop guard's finding
    /// for it (`selfCaused`, `hop`). Pure apart from the metrics, so it may run in the insert's
    /// transaction; give `matching` (found before, with `rules.matching(event)`) so that the
    /// transaction only renders the calls.
    public func plan(
        _ event: WebhookEvent, rules: RuleSet, matching: RuleMatch? = nil, eventID: Int64, now: Date,
        selfCaused: Bool, hop: Int
    ) -> EventPlan {
        let context = PlanContext(
            eventID: eventID, now: now, selfCaused: selfCaused, hop: hop, hopLimit: maxHops,
            defaultProject: defaultProject)
        let plan =
            matching.map { rules.plan(event, matching: $0, context: context) } ?? rules.plan(event, context: context)
        if plan.stoppedByHopLimit { metrics.loopGuardSuppressed(reason: "hop_limit") }
        if !plan.skippedSelfCaused.isEmpty {
            metrics.loopGuardSuppressed(reason: "self_caused", count: plan.skippedSelfCaused.count)
        }
        return EventPlan(plan)
    }
}

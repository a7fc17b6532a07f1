public import ArtifactoryEvents
public import Foundation
public import Logging
public import Rules
public import Storage

/// Plans one event with a rule set, in the store's terms, the same way at ingest and for events
/// whose planning was deferred; counts what the loop guard held back, and counts and logs actions
/// that could not be planned.
public struct EventPlanner: Sendable {
    /// `worker.max_hops`.
    let maxHops: Int
    /// `artifactory.project`, for promotions whose action names no project.
    let defaultProject: String?
    let metrics: DaemonMetrics
    /// Where actions that could not be planned are reported, at most once per rule every 10 s.
    let logger: Logger
    let failureLog = LogThrottle(interval: .seconds(10))

    public init(maxHops: Int, defaultProject: String? = nil, metrics: DaemonMetrics, logger: Logger) {
        self.maxHops = maxHops
        self.defaultProject = defaultProject
        self.metrics = metrics
        self.logger = logger
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
        report(plan.failures, eventID: eventID)
        return EventPlan(plan)
    }

    /// Counts and logs actions that could not be planned: the rule did nothing for the event, and
    /// without this only `events show` would tell.
    private func report(_ failures: [Plan.Failure], eventID: Int64) {
        for failure in failures {
            metrics.planFailure(code: failure.code.rawValue)
            // Rule names come from the rule files: a small, fixed set of keys.
            guard let suppressed = failureLog.admit(failure.rule) else { continue }
            logger.warning(
                "A rule's action could not be planned; the rule did nothing for this event (events show)",
                metadata: [
                    "rule": .string(failure.rule), "rule.action": .stringConvertible(failure.actionIndex),
                    "error.code": .string(failure.code.rawValue), "error": .string(failure.message),
                    "event.id": .stringConvertible(eventID), "log.suppressed": .stringConvertible(suppressed),
                ])
        }
    }
}

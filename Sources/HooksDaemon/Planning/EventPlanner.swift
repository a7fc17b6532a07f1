public import ArtifactoryEvents
public import Foundation
public import Logging
public import Rules
public import Storage

/// Plans one event with a rule set, in the store's terms, the same way at ingest and for events
/// whose planning was deferred; once a plan has committed, counts what the loop guard held back,
/// and counts and logs actions that could not be planned.
public struct EventPlanner: Sendable {
    /// `worker.max_hops`.
    let maxHops: Int
    /// `artifactory.project`, for promotions whose action names no project.
    let defaultProject: String?
    /// `rules.mode`: the mode of rules that do not say `mode:`.
    let defaultMode: RuleMode
    let metrics: DaemonMetrics
    /// Where actions that could not be planned are reported, at most once per rule every 10 s.
    let logger: Logger
    let failureLog = LogThrottle(interval: .seconds(10))

    public init(
        maxHops: Int, defaultProject: String? = nil, defaultMode: RuleMode = .live, metrics: DaemonMetrics,
        logger: Logger
    ) {
        self.maxHops = maxHops
        self.defaultProject = defaultProject
        self.defaultMode = defaultMode
        self.metrics = metrics
        self.logger = logger
    }

    /// The plan of `event` (stored as `eventID`) under `rules`, honouring the loop guard's finding
    /// for it (`selfCaused`, `hop`). Pure: no metrics, no logs, so the store may call it in the
    /// insert's transaction, as often as it writes the event; give `matching` (found before, with
    /// `rules.matching(event)`) so that the transaction only renders the calls. Pass the plan that
    /// committed to ``report(_:eventID:)``.
    public func plan(
        _ event: WebhookEvent, rules: RuleSet, matching: RuleMatch? = nil, eventID: Int64, now: Date,
        selfCaused: Bool, hop: Int
    ) -> EventPlan {
        let context = PlanContext(
            eventID: eventID, now: now, selfCaused: selfCaused, hop: hop, hopLimit: maxHops,
            defaultProject: defaultProject, defaultMode: defaultMode)
        let plan =
            matching.map { rules.plan(event, matching: $0, context: context) } ?? rules.plan(event, context: context)
        return EventPlan(plan)
    }

    /// Counts what the loop guard held back and the shadow jobs recorded, and counts and logs the
    /// actions that could not be planned, for a plan written with event `eventID`. Call it once per
    /// stored event, after the commit (an insert's ``IngestResult/plan``, a deferred plan that was
    /// added).
    public func report(_ plan: EventPlan, eventID: Int64) {
        var shadowJobs: [String: Int] = [:]
        for job in plan.jobs where job.shadow { shadowJobs[job.rule, default: 0] += 1 }
        for (rule, count) in shadowJobs { metrics.shadowJobsRecorded(rule: rule, count: count) }
        var throttled: [String: Int] = [:]
        for record in plan.throttled { throttled[record.rule, default: 0] += 1 }
        for (rule, count) in throttled { metrics.actionsThrottled(rule: rule, count: count) }
        if plan.stoppedByHopLimit { metrics.loopGuardSuppressed(reason: "hop_limit") }
        if plan.skippedSelfCaused > 0 {
            metrics.loopGuardSuppressed(reason: "self_caused", count: plan.skippedSelfCaused)
        }
        for failure in plan.failures {
            metrics.planFailure(code: failure.code)
            // Rule names come from the rule files: a small, fixed set of keys.
            guard let suppressed = failureLog.admit(failure.rule) else { continue }
            // Without this warning only `events show` would tell that the rule did nothing.
            logger.warning(
                "A rule's action could not be planned; the rule did nothing for this event (events show)",
                metadata: [
                    "rule": .string(failure.rule), "rule.action": .stringConvertible(failure.actionIndex),
                    "error.code": .string(failure.code), "error": .string(failure.message),
                    "event.id": .stringConvertible(eventID), "log.suppressed": .stringConvertible(suppressed),
                ])
        }
    }
}

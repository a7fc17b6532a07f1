import Rules
public import Storage

extension EventPlan {
    /// The store's form of a rules plan: one job per planned call (a shadow rule's marked
    /// ``NewJob/shadow``, a throttled action's carrying its ``NewJob/throttle`` claim), its request
    /// kept as JSON, and what the loop guard held back.
    public init(_ plan: Plan) {
        // Most events match no rule; they skip the encoder (this runs inside the write transaction).
        guard !plan.actions.isEmpty || !plan.failures.isEmpty else {
            self.init(skippedSelfCaused: plan.skippedSelfCaused.count, stoppedByHopLimit: plan.stoppedByHopLimit)
            return
        }
        self.init(
            jobs: plan.actions.map { action in
                var job = NewJob(
                    rule: action.rule, actionIndex: action.actionIndex,
                    kind: action.expansion == nil ? action.kind.rawValue : NewJob.expansionKind,
                    subject: action.subject, request: action.storedJSON,
                    effects: action.effects, shadow: action.mode == .shadow)
                job.throttle = action.throttle
                return job
            },
            failures: plan.failures.map { failure in
                PlanFailure(
                    rule: failure.rule, actionIndex: failure.actionIndex, kind: failure.kind.rawValue,
                    code: failure.code.rawValue, message: failure.message)
            },
            skippedSelfCaused: plan.skippedSelfCaused.count, stoppedByHopLimit: plan.stoppedByHopLimit)
    }
}

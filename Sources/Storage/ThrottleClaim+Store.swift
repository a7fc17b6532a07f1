public import ArtifactoryEvents

extension ThrottleClaim {
    /// The code of the record a throttled job leaves on its event (``PlanFailure/code``).
    public static let throttledCode = "throttled"
}

extension EventPlan {
    /// The distinct claims of the plan's jobs, each decided once per event (so the jobs of one
    /// rule sharing a window are all sent or all throttled), ordered by scope and key: every
    /// transaction takes the rows in the same order, so two daemons never wait on each other.
    public var throttleClaims: [ThrottleClaim] {
        Set(jobs.compactMap(\.throttle)).sorted { ($0.scope, $0.key) < ($1.scope, $1.key) }
    }

    /// Moves the jobs whose claim is in `refused` to ``throttled``, each recorded as a
    /// ``PlanFailure`` with code ``ThrottleClaim/throttledCode``.
    public mutating func throttle(_ refused: Set<ThrottleClaim>) {
        guard !refused.isEmpty else { return }
        var kept: [NewJob] = []
        for job in jobs {
            guard let claim = job.throttle, refused.contains(claim) else {
                kept.append(job)
                continue
            }
            throttled.append(
                PlanFailure(
                    rule: job.rule, actionIndex: job.actionIndex, kind: job.kind, code: ThrottleClaim.throttledCode,
                    message: claim.description))
        }
        jobs = kept
    }
}

import ArtifactoryAPI
import ArtifactoryRequests
import Rules
import Storage

/// Sends a job's planned `http:` call to its outbound target. The Standard Webhooks message id is
/// `msg_JOBID`, the same for every attempt of the job, so a receiver can deduplicate; the
/// signature's timestamp is the attempt's.
struct TargetActionExecutor: ActionExecutor {
    let client: TargetClient
    let clock: any DaemonClock
    var metrics: DaemonMetrics = .none

    /// The message id of a job's deliveries.
    static func messageID(job: Int64) -> String { "msg_\(job)" }

    func execute(_ job: LeasedJob) async -> ExecutionResult {
        let planned: PlannedAction
        do {
            planned = try PlannedAction(storedJSON: job.job.request)
        } catch {
            return ExecutionResult(
                httpStatus: nil, message: "the stored request does not decode: \(error)", failure: .permanent)
        }
        guard planned.request.base == .target, planned.request.target == client.configuration.name else {
            return ExecutionResult(
                httpStatus: nil, message: "the job is not a call to target \(client.configuration.name)",
                failure: .permanent)
        }
        let started = ContinuousClock.now
        let outcome = await client.execute(
            planned.request, messageID: Self.messageID(job: job.job.id), now: clock.now)
        metrics.targetCall(
            target: client.configuration.name, httpStatus: outcome.status, duration: ContinuousClock.now - started)
        guard let message = outcome.message else { return .success(status: outcome.status ?? 200) }
        return ExecutionResult(
            httpStatus: outcome.status, message: message,
            failure: outcome.retryable ? .retryable(retryAfter: outcome.retryAfter) : .permanent)
    }
}

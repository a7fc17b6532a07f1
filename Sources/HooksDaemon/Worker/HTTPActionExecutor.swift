public import ArtifactoryAPI
import ArtifactoryRequests
import Rules
public import Storage

/// Sends a job's planned request with the Artifactory client (a copy or move onto a folder that
/// exists goes one folder up: ``FolderTransfer``). A guarded job first looks up what its guard
/// names (``GuardLookup``) and is skipped, unsent, when the guard does not hold; a failed lookup
/// fails the attempt as a failed call would.
public struct HTTPActionExecutor: ActionExecutor {
    let client: ArtifactoryClient

    public init(client: ArtifactoryClient) { self.client = client }

    public func execute(_ job: LeasedJob) async -> ExecutionResult {
        let planned: PlannedAction
        do {
            planned = try PlannedAction(storedJSON: job.job.request)
        } catch {
            return ExecutionResult(
                httpStatus: nil, message: "the stored request does not decode: \(error)", failure: .permanent)
        }
        guard planned.request.base != .target else {
            return ExecutionResult(
                httpStatus: nil, message: "an http: call goes to its target's worker, never to Artifactory",
                failure: .permanent)
        }
        do throws(ArtifactoryAPIError) {
            if let requirement = planned.requirement,
                let reason = requirement.failure(given: try await GuardLookup.facts(for: requirement, with: client))
            {
                return .skipped(reason: reason)
            }
            let response = try await client.execute(try await FolderTransfer.resolved(planned.request, with: client))
            return .success(status: response.status)
        } catch {
            return ExecutionResult(
                httpStatus: error.status, message: error.description,
                failure: error.isRetryable ? .retryable(retryAfter: error.retryAfter) : .permanent)
        }
    }
}

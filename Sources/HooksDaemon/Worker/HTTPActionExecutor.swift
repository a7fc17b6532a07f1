public import ArtifactoryAPI
import Rules
public import Storage

/// Sends a job's planned request with the Artifactory client (a copy or move onto a folder that
/// exists goes one folder up: ``FolderTransfer``).
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
        let request = APIRequest(
            method: APIRequest.Method(rawValue: planned.method.rawValue) ?? .post, pathAndQuery: planned.path,
            body: planned.body.map { Array($0.utf8) }, contentType: planned.contentType)
        do throws(ArtifactoryAPIError) {
            let response = try await client.execute(try await FolderTransfer.resolved(request, with: client))
            return .success(status: response.status)
        } catch {
            return ExecutionResult(
                httpStatus: error.status, message: error.description,
                failure: error.isRetryable ? .retryable(retryAfter: error.retryAfter) : .permanent)
        }
    }
}

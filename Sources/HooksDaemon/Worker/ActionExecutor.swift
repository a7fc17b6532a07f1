public import Storage

/// Runs one leased job's call against Artifactory and says how it went. The seam between the
/// worker and the network: the worker decides retries, the executor only reports.
public protocol ActionExecutor: Sendable {
    /// Sends the job's planned request once.
    func execute(_ job: LeasedJob) async -> ExecutionResult
}

/// What one call did.
public struct ExecutionResult: Sendable, Equatable {
    /// Artifactory's HTTP status, when it answered.
    public var httpStatus: Int?
    /// Artifactory's message or the transport error, on failure.
    public var message: String?
    /// `nil` on success; otherwise whether a retry can help.
    public var failure: RetryPolicy.Failure?
    /// Set when the job's guard did not hold and the call was not sent: the job is finished as
    /// skipped, with ``message`` as the reason.
    public var skipped: Bool

    public init(httpStatus: Int?, message: String?, failure: RetryPolicy.Failure?, skipped: Bool = false) {
        self.httpStatus = httpStatus
        self.message = message
        self.failure = failure
        self.skipped = skipped
    }

    /// The guard did not hold, for `reason`: nothing was sent.
    public static func skipped(reason: String) -> ExecutionResult {
        ExecutionResult(httpStatus: nil, message: reason, failure: nil, skipped: true)
    }

    /// A 2xx answer.
    public static func success(status: Int) -> ExecutionResult {
        ExecutionResult(httpStatus: status, message: nil, failure: nil)
    }
}

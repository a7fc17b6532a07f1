/// Every way a call to Artifactory can fail, with what the worker needs to decide what to do next.
///
/// `description` is safe to show anyone: it names the call (method and path, never the query or
/// a header), the HTTP status and Artifactory's messages. The token, the password and the
/// `Authorization` header never appear in it, nor in `debugDescription`, which adds the underlying
/// transport error.
public struct ArtifactoryAPIError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure; bounded, so it can label a metric.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No connection, or it broke before an answer arrived (refused, reset, DNS, TLS).
        case connectionFailed = "connection_failed"
        /// The connect timeout or the request timeout passed.
        case timeout
        /// The call was cancelled (shutdown); nothing is known about its effect.
        case cancelled
        /// 429 Too Many Requests.
        case rateLimited = "rate_limited"
        /// Any 5xx.
        case serverError = "server_error"
        /// 400 Bad Request.
        case badRequest = "bad_request"
        /// 401 Unauthorized: the credential is missing, wrong or expired.
        case unauthorized
        /// 403 Forbidden: the credential lacks a permission.
        case forbidden
        /// 404 Not Found: no such repository, item or build.
        case notFound = "not_found"
        /// 409 Conflict.
        case conflict
        /// Any other 4xx.
        case clientError = "client_error"
        /// A 1xx or 3xx answer (redirects are not followed, so a token never goes elsewhere).
        case unexpectedStatus = "unexpected_status"
        /// The request could not be built: a malformed path, or one that leaves the base URL.
        case invalidRequest = "invalid_request"
        /// A 2xx answer whose body is not what the call documents.
        case invalidResponse = "invalid_response"
        /// The client could not be set up (unreadable or invalid CA file).
        case configuration

        /// Whether trying again later can succeed: connection errors, timeouts, cancellation, 5xx
        /// and 429. Every other 4xx, and every local problem, is permanent.
        public var isRetryable: Bool {
            switch self {
            case .connectionFailed, .timeout, .cancelled, .rateLimited, .serverError: true
            case .badRequest, .unauthorized, .forbidden, .notFound, .conflict, .clientError, .unexpectedStatus,
                .invalidRequest, .invalidResponse, .configuration:
                false
            }
        }

        /// The code for an HTTP status that is not 2xx.
        public init(status: Int) {
            switch status {
            case 400: self = .badRequest
            case 401: self = .unauthorized
            case 403: self = .forbidden
            case 404: self = .notFound
            case 409: self = .conflict
            case 429: self = .rateLimited
            case 402...499: self = .clientError
            case 500...599: self = .serverError
            default: self = .unexpectedStatus
            }
        }
    }

    /// What kind of failure.
    public var code: Code
    /// The HTTP status, when Artifactory answered.
    public var status: Int?
    /// Artifactory's own messages from the error body, in its order.
    public var messages: [String]
    /// The delay the `Retry-After` header asked for, when the answer had one.
    public var retryAfter: Duration?
    /// The call, as `METHOD path` (no query, no body).
    public var request: String?
    /// The transport or decoding error behind this one.
    public var underlying: (any Error)?

    public init(
        code: Code, status: Int? = nil, messages: [String] = [], retryAfter: Duration? = nil, request: String? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.status = status
        self.messages = messages
        self.retryAfter = retryAfter
        self.request = request
        self.underlying = underlying
    }

    /// Whether the worker should try again later; see ``Code/isRetryable``.
    public var isRetryable: Bool { code.isRetryable }

    public var description: String {
        var text = summary
        if let request { text += " (\(request))" }
        if !messages.isEmpty { text += ": " + messages.joined(separator: "; ") }
        if let retryAfter { text += " [retry after \(retryAfter.components.seconds)s]" }
        return text
    }

    public var debugDescription: String {
        underlying.map { "\(description); underlying: \(String(describing: $0))" } ?? description
    }

    private var summary: String {
        switch code {
        case .connectionFailed: "cannot reach Artifactory"
        case .timeout: "Artifactory did not answer in time"
        case .cancelled: "the call to Artifactory was cancelled"
        case .invalidRequest: "the request cannot be sent to Artifactory"
        case .invalidResponse: "Artifactory's answer cannot be read"
        case .configuration: "the Artifactory client is misconfigured"
        default: "Artifactory answered \(status.map(String.init) ?? "?")"
        }
    }
}

import Foundation
public import HTTPTypes
public import Hummingbird

/// Every way a delivery can be refused, mapped to its HTTP answer in one place.
///
/// The body is `{"error": CODE, "message": TEXT}`; the text never contains a secret, a received
/// signature or an internal error.
public struct IngestError: HTTPResponseError, CustomStringConvertible {
    /// A short stable code for logs, metrics and clients.
    public var code: String
    public var status: HTTPResponse.Status
    /// What went wrong and what the sender can do.
    public var message: String
    /// Extra headers (`Allow` on 405, `Retry-After` on 503, `Connection: close` when the rest of
    /// the body is not read).
    public var headers: HTTPFields

    public init(code: String, status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = try JSONSerialization.data(
            withJSONObject: ["error": code, "message": message], options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func unknownEndpoint(_ name: String) -> IngestError {
        IngestError(
            code: "unknown_endpoint", status: .notFound,
            message: "No webhook endpoint is configured under this name; check the URL registered in Artifactory.")
    }

    static let unknownTest = IngestError(
        code: "unknown_test", status: .badRequest,
        message: "No subscriptions test waits for this test id on this endpoint; run subscriptions test again.")

    static let forbiddenSource = IngestError(
        code: "forbidden_source", status: .forbidden,
        message: "This endpoint accepts deliveries from its allow_from addresses only.")

    static let methodNotAllowed = IngestError(
        code: "method_not_allowed", status: .methodNotAllowed,
        message: "Webhook endpoints accept POST only.", headers: [.allow: "POST"])

    static let unsupportedMediaType = IngestError(
        code: "unsupported_media_type", status: .unsupportedMediaType,
        message: "The body must be JSON (Content-Type: application/json).")

    static func tooLarge(limit: Int) -> IngestError {
        IngestError(
            code: "body_too_large", status: .contentTooLarge,
            message: "The body is larger than the limit of \(limit) bytes (ingest.max_body_bytes).",
            headers: [.connection: "close"])
    }

    /// Counted and logged only: the connection is closed by then, so no answer is written.
    static func bodyTimeout(_ limit: Duration) -> IngestError {
        IngestError(
            code: "body_timeout", status: .requestTimeout,
            message: "The body did not arrive within \(DurationText.format(limit)) (ingest.body_timeout).")
    }

    static let unauthorized = IngestError(
        code: "unauthorized", status: .unauthorized,
        message: "Missing or invalid X-JFrog-Event-Auth header.")

    static func badEvent(code: String, message: String) -> IngestError {
        IngestError(code: code, status: .badRequest, message: message)
    }

    /// `store.max_bytes` reached: the event is not stored; Artifactory retries later.
    static let storeFull = IngestError(
        code: "store_full", status: .serviceUnavailable,
        message: "The event store is full (store.max_bytes); the event was not accepted. Artifactory may retry.",
        headers: [.retryAfter: "30"])

    /// The endpoint's `rate_limit` is used up for now; `retryAfter` is rounded up to whole seconds.
    static func rateLimited(retryAfter: Duration) -> IngestError {
        let seconds = max(1, Int(retryAfter.timeInterval.rounded(.up)))
        return IngestError(
            code: "rate_limited", status: .tooManyRequests,
            message: "This endpoint takes fewer deliveries a second (rate_limit); try again in \(seconds) s.",
            headers: [.retryAfter: "\(seconds)"])
    }

    /// Answered before the body is read, or as soon as it outgrows the budget; the connection
    /// closes, so the rest of the body is not read.
    static let overBudget = IngestError(
        code: "over_budget", status: .serviceUnavailable,
        message:
            "The daemon holds as many delivery bodies as ingest.max_buffered_bytes allows; it was not accepted. "
            + "Artifactory may retry.",
        headers: [.retryAfter: "5", .connection: "close"])

    static let storeUnavailable = IngestError(
        code: "store_unavailable", status: .serviceUnavailable,
        message: "The event could not be stored; it was not accepted. Artifactory may retry.",
        headers: [.retryAfter: "5"])
}

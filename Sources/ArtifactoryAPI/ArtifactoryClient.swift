public import ArtifactoryRequests
import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// A client for Artifactory's REST API on AsyncHTTPClient.
///
/// Every call goes through ``execute(_:)`` with a request of the one vocabulary
/// (``ArtifactoryRequest``, as planned and stored): it joins the request's path to the base URL as
/// given, adds the `Authorization` header, enforces the timeouts, returns a 2xx answer
/// and turns everything else into an ``ArtifactoryAPIError`` that says whether to retry.
///
/// Redirects are not followed, so the credential is only ever sent to the configured host. Call
/// ``shutdown()`` once done.
public final class ArtifactoryClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger
    private let base: String
    /// The JFrog Platform's base URL, without a final `/`.
    private let platformBase: String
    private let authorization: String

    /// Makes a client; fails with ``ArtifactoryAPIError/Code/configuration`` when the base URL or the
    /// platform base URL is not http(s) with a host, or the CA file cannot be read or holds no
    /// certificate.
    public init(configuration: Configuration, logger: Logger) throws(ArtifactoryAPIError) {
        guard ["http", "https"].contains(configuration.baseURL.scheme?.lowercased()), configuration.baseURL.host != nil
        else {
            throw ArtifactoryAPIError(
                code: .configuration,
                messages: [
                    "the base URL must be http(s) with a host, such as https://artifactory.example.com/artifactory"
                ])
        }
        if let platform = configuration.platformBaseURL,
            !["http", "https"].contains(platform.scheme?.lowercased()) || platform.host == nil
        {
            throw ArtifactoryAPIError(
                code: .configuration,
                messages: ["the platform base URL must be http(s) with a host, such as https://artifactory.example.com"]
            )
        }
        self.configuration = configuration
        self.httpClient = try OutboundHTTPClient.make(
            caFile: configuration.caFile, connectTimeout: configuration.connectTimeout, logger: logger)
        self.logger = logger
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        var platformBase =
            configuration.platformBaseURL?.absoluteString
            ?? ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: base)
        while platformBase.hasSuffix("/") { platformBase.removeLast() }
        self.platformBase = platformBase
        self.authorization = configuration.credential.authorizationHeader
    }

    /// Closes the client's connections. Calls after this fail.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    /// Sends `request` and returns Artifactory's 2xx answer.
    ///
    /// The path is appended to the base URL the request names (``ArtifactoryRequest/base``: the
    /// Artifactory URL or the JFrog Platform's) exactly as given (it must already be encoded); a path
    /// with a `.` or `..` segment is refused. Any other answer, and any transport failure, throws.
    public func execute(_ request: ArtifactoryRequest) async throws(ArtifactoryAPIError) -> APIResponse {
        var collected: [UInt8] = []
        let limit = configuration.maxResponseBytes
        let answer = try await send(request) { chunk throws(ArtifactoryAPIError) in
            guard collected.count + chunk.readableBytes <= limit else {
                throw Self.transportError(NIOTooManyBytesError(maxBytes: limit), request: request)
            }
            collected += chunk.readableBytesView
        }
        return APIResponse(status: answer.status, headers: answer.headers, body: collected)
    }

    /// Sends `request` and hands each chunk of Artifactory's 2xx answer body to `receive` as it
    /// arrives, without holding the whole answer; returns the answer with an empty body.
    ///
    /// Like ``execute(_:)`` in every other way: an answer other than 2xx (its body read up to
    /// `maxResponseBytes` for its messages), and any transport failure, throws. An error `receive`
    /// throws ends the call and is rethrown as it is.
    public func stream(
        _ request: ArtifactoryRequest, receive: (ByteBuffer) async throws(ArtifactoryAPIError) -> Void
    ) async throws(ArtifactoryAPIError) -> APIResponse {
        let answer = try await send(request, receive: receive)
        return APIResponse(status: answer.status, headers: answer.headers, body: [])
    }

    /// The one way a call is sent: builds the request, checks the status, passes a 2xx body on.
    private func send(
        _ request: ArtifactoryRequest, receive: (ByteBuffer) async throws(ArtifactoryAPIError) -> Void
    ) async throws(ArtifactoryAPIError) -> (status: Int, headers: [String: String]) {
        let url = try url(for: request)
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.add(name: "Authorization", value: authorization)
        outgoing.headers.add(name: "User-Agent", value: configuration.userAgent)
        outgoing.headers.add(name: "Accept", value: "application/json, text/plain, */*")
        if let body = request.body {
            outgoing.headers.add(name: "Content-Type", value: request.contentType ?? "application/octet-stream")
            outgoing.body = .bytes(ByteBuffer(string: body))
        }

        let started = ContinuousClock.now
        let status: Int
        let headers: HTTPHeaders
        var errorBody: ByteBuffer?
        do {
            let response = try await httpClient.execute(
                outgoing, timeout: TimeAmount(configuration.requestTimeout), logger: logger)
            status = Int(response.status.code)
            headers = response.headers
            if (200..<300).contains(status) {
                for try await chunk in response.body {
                    do throws(ArtifactoryAPIError) {
                        try await receive(chunk)
                    } catch {
                        throw ReceiverFailure(error: error)
                    }
                }
            } else {
                errorBody = try await response.body.collect(upTo: configuration.maxResponseBytes)
            }
        } catch let failure as ReceiverFailure {
            throw failure.error
        } catch {
            let failure = Self.transportError(error, request: request)
            logger.debug(
                "Artifactory call failed",
                metadata: [
                    "api.method": "\(request.method.rawValue)", "api.base": "\(request.base)",
                    "api.path": "\(request.path)", "error.code": "\(failure.code.rawValue)",
                ])
            throw failure
        }
        let elapsed = TimeAmount(ContinuousClock.now - started).nanoseconds / 1_000_000
        logger.debug(
            "Artifactory call",
            metadata: [
                "api.method": "\(request.method.rawValue)", "api.base": "\(request.base)",
                "api.path": "\(request.path)",
                "api.status": "\(status)",
                "api.duration_ms": "\(elapsed)",
            ])

        if let errorBody {
            throw answerError(
                status: status, headers: headers, body: Array(errorBody.readableBytesView), request: request)
        }
        var fields: [String: String] = [:]
        for header in headers {
            let name = header.name.lowercased()
            fields[name] = fields[name].map { $0 + ", " + header.value } ?? header.value
        }
        return (status, fields)
    }

    /// Carries the receiver's own error through the transport's catch.
    private struct ReceiverFailure: Error {
        let error: ArtifactoryAPIError
    }

    // MARK: Pieces

    /// The absolute URL of `request`, refusing paths that could leave the base URL.
    ///
    /// The path always follows the base URL and a `/`, so it cannot change the host (the base URL
    /// was checked to be http(s) with a host when the client was made); it could still climb out of the
    /// base path with a `.` or `..` segment, or end the path with a fragment, and those are refused.
    /// A URL that does not parse fails in AsyncHTTPClient as ``ArtifactoryAPIError/Code/invalidRequest``,
    /// before anything is sent. The URL is not parsed again here: it is on every call's path.
    private func url(for request: ArtifactoryRequest) throws(ArtifactoryAPIError) -> String {
        // All on bytes: this runs for every call.
        let slash = UInt8(ascii: "/")
        let whole = request.pathAndQuery
        let start = whole.utf8.firstIndex { $0 != slash } ?? whole.endIndex
        let relative = whole[start...]
        let path = relative[..<(relative.utf8.firstIndex(of: UInt8(ascii: "?")) ?? relative.endIndex)]
        let escapes = path.utf8.split(separator: slash, omittingEmptySubsequences: false).contains { segment in
            // Only a segment with a percent sign can decode to something else (`%2e`).
            if segment.contains(UInt8(ascii: "%")) { return URLEncoding.isDotSegment(Substring(segment)) }
            return segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8)
        }
        let text = (request.base == .platform ? platformBase : base) + "/" + relative
        guard !path.isEmpty, !escapes, !relative.utf8.contains(UInt8(ascii: "#")) else {
            throw ArtifactoryAPIError(
                code: .invalidRequest,
                messages: ["the path must be relative to the base URL, encoded, without . or .. segments"],
                request: request.description)
        }
        return text
    }

    /// The error for a non-2xx answer, with Artifactory's messages (any echo of the secret removed).
    private func answerError(status: Int, headers: HTTPHeaders, body: [UInt8], request: ArtifactoryRequest)
        -> ArtifactoryAPIError
    {
        let secret = configuration.credential.secret
        let messages = ArtifactoryAPIError.messages(fromBody: body, contentType: headers.first(name: "Content-Type"))
            .map { secret.isEmpty ? $0 : $0.replacingOccurrences(of: secret, with: "(redacted)") }
        return ArtifactoryAPIError(
            code: ArtifactoryAPIError.Code(status: status), status: status, messages: messages,
            retryAfter: headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0) },
            request: request.description)
    }

    /// Classifies an error thrown before a complete answer arrived.
    static func transportError(_ error: any Error, request: ArtifactoryRequest) -> ArtifactoryAPIError {
        let code: ArtifactoryAPIError.Code
        switch error {
        case is CancellationError:
            code = .cancelled
        case is NIOTooManyBytesError:
            code = .invalidResponse
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                code = .timeout
            case .cancelled:
                code = .cancelled
            case .invalidURL, .emptyHost, .emptyScheme:
                code = .invalidRequest
            default:
                code = .connectionFailed
            }
        case let error as ChannelError:
            if case .connectTimeout = error { code = .timeout } else { code = .connectionFailed }
        default:
            code = .connectionFailed
        }
        return ArtifactoryAPIError(
            code: code, messages: transportReason(error).map { [$0] } ?? [], request: request.description,
            underlying: error)
    }

    /// What the transport said, for the job's error and the log: a refused connection, a reset, a
    /// certificate not trusted (with what to do about it). `nil` for a cancellation. Transport
    /// errors carry no request headers, so no credential.
    static func transportReason(_ error: any Error) -> String? {
        if error is CancellationError { return nil }
        let text = String(String(describing: error).prefix(300))
        let untrusted = ["CERTIFICATE_VERIFY_FAILED", "certificate verify failed", "unable to get local issuer"]
        if untrusted.contains(where: text.contains) {
            return text
                + "; Artifactory's certificate is not trusted: if a private CA signed it, set artifactory.ca_file"
        }
        return text
    }
}

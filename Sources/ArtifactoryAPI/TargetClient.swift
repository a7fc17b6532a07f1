import ArtifactoryEvents
public import ArtifactoryRequests
import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// Sends the rules' `http:` calls to one outbound target on AsyncHTTPClient: joins the request's
/// path to the target's base URL, adds the rule's headers, then the credential and the signature
/// (which replace a rule header of the same name), and says how the call went.
///
/// Redirects are not followed, so the credential only ever goes to the configured host. Call
/// ``shutdown()`` once done.
public final class TargetClient: Sendable {
    /// How one call went.
    public struct Outcome: Sendable, Equatable {
        /// The target's status, when it answered.
        public var status: Int?
        /// `nil` on success; the reason otherwise (no secret in it).
        public var message: String?
        /// On failure: whether another attempt can help.
        public var retryable: Bool
        /// The target's `Retry-After`, when it sent one.
        public var retryAfter: Duration?
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger

    /// Makes a client; fails when the base URL is not http(s) with a host or the CA file cannot be
    /// read.
    public init(configuration: Configuration, logger: Logger) throws(ArtifactoryAPIError) {
        guard ["http", "https"].contains(configuration.baseURL.scheme?.lowercased()), configuration.baseURL.host != nil
        else {
            throw ArtifactoryAPIError(
                code: .configuration, messages: ["target \(configuration.name): the URL must be http(s) with a host"])
        }
        self.configuration = configuration
        self.httpClient = try OutboundHTTPClient.make(
            caFile: configuration.caFile, connectTimeout: configuration.connectTimeout, logger: logger)
        self.logger = logger
    }

    /// Closes the client's connections.
    public func shutdown() async throws { try await httpClient.shutdown() }

    /// The headers the client adds to `request` for one attempt, in the order sent: the rule's,
    /// then the content type, the credential and the signature. `masked` replaces the credential
    /// and the signature by `<masked>` (what `rules test` shows).
    public func headers(for request: ArtifactoryRequest, messageID: String, timestamp: Int64, masked: Bool = false)
        -> [(name: String, value: String)]
    {
        Self.headers(
            for: request, configuration: configuration, messageID: messageID, timestamp: timestamp, masked: masked)
    }

    /// ``headers(for:messageID:timestamp:masked:)`` for a configuration, without a client.
    public static func headers(
        for request: ArtifactoryRequest, configuration: Configuration, messageID: String, timestamp: Int64,
        masked: Bool
    ) -> [(name: String, value: String)] {
        var headers = request.headers.map { (name: $0.name, value: $0.value) }
        func set(_ name: String, _ value: String) {
            headers.removeAll { $0.name.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
        set("User-Agent", configuration.userAgent)
        if request.body != nil { set("Content-Type", request.contentType ?? "application/octet-stream") }
        if let auth = configuration.auth.header { set(auth.name, masked ? "<masked>" : auth.value) }
        if let signing = configuration.signing {
            let body = Array((request.body ?? "").utf8)
            for header in signing.headers(id: messageID, timestamp: timestamp, body: body) {
                let secret = header.name == "webhook-signature" || signing.headerNames == [header.name]
                set(header.name, masked && secret ? "<masked>" : header.value)
            }
        }
        return headers
    }

    /// Sends `request` once. `messageID` is stable across the attempts of one job (the receiver
    /// deduplicates on it); the signature's timestamp is the attempt's.
    public func execute(_ request: ArtifactoryRequest, messageID: String, now: Date) async -> Outcome {
        guard Self.staysUnderBase(request.pathAndQuery) else {
            return Outcome(
                status: nil, message: "target \(configuration.name): the path must stay under the target's URL",
                retryable: false)
        }
        var outgoing = HTTPClientRequest(url: configuration.url(pathAndQuery: request.pathAndQuery))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        for header in headers(for: request, messageID: messageID, timestamp: timestamp) {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(string: body)) }
        let status: Int
        let answer: HTTPHeaders
        do {
            let response = try await httpClient.execute(
                outgoing, timeout: TimeAmount(configuration.requestTimeout), logger: logger)
            status = Int(response.status.code)
            answer = response.headers
            // Read (and dropped) so the connection can be reused.
            _ = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            let failure = ArtifactoryClient.transportError(error, request: request)
            let reason = ArtifactoryClient.transportReason(error) ?? failure.code.rawValue
            return Outcome(
                status: nil, message: "target \(configuration.name): \(redacted(reason))",
                retryable: failure.code != .invalidRequest, retryAfter: nil)
        }
        logger.debug(
            "Target call",
            metadata: [
                "target": "\(configuration.name)", "api.method": "\(request.method)", "api.path": "\(request.path)",
                "api.status": "\(status)",
            ])
        if configuration.isSuccess(status) { return Outcome(status: status, message: nil, retryable: false) }
        return Outcome(
            status: status, message: "target \(configuration.name) answered \(status)",
            retryable: configuration.isRetryable(status),
            retryAfter: answer.first(name: "Retry-After").flatMap { RetryAfter.parse($0) })
    }

    /// Whether `pathAndQuery` has no `.` or `..` segment (raw or percent-encoded) and no fragment:
    /// planning never writes one, and a stored row that holds one is not sent.
    static func staysUnderBase(_ pathAndQuery: String) -> Bool {
        let path = pathAndQuery.prefix { $0 != "?" }
        guard !pathAndQuery.contains("#") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { URLEncoding.isDotSegment($0) }
    }

    private func redacted(_ text: String) -> String {
        var text = text
        if configuration.urlIsSecret {
            let base = configuration.baseURL
            for part in [base.absoluteString, base.path, base.query ?? ""] where part.count > 1 {
                text = text.replacingOccurrences(of: part, with: "(redacted)")
            }
        }
        guard let secret = configuration.auth.secret, !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "(redacted)")
    }
}

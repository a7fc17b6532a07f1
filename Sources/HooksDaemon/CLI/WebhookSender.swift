public import ArtifactoryEvents
import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// Signs a JSON file like Artifactory does and POSTs it (`artifactory-hooks send`).
public struct WebhookSender: Sendable {
    /// The answer the daemon gave.
    public struct Answer: Sendable {
        /// HTTP status code.
        public var status: Int
        /// The response body as text.
        public var body: String
    }

    public init() {}

    /// Posts `body` to `url` with the `X-JFrog-Event-Auth` header for `mode` and `secret`.
    public func send(body: [UInt8], to url: URL, mode: AuthMode, secret: String?, timeout: Duration = .seconds(30))
        async throws -> Answer
    {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "artifactory-hooks-send")
        if let secret, let header = SignatureVerifier.header(mode: mode, secret: secret, body: body) {
            request.headers.add(name: SignatureVerifier.headerName, value: header)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(
            request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        let responseBody = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: responseBody))
    }
}

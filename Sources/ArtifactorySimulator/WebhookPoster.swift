import ArtifactoryEvents
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one webhook body to one handler as Artifactory does: a POST of `application/json` with
/// the handler's custom headers and `X-JFrog-Event-Auth`, which carries the secret itself, or
/// with `use_secret_for_signing` the HMAC-SHA256 of the body keyed by the secret, in hex.
enum WebhookPoster {
    /// The answer to one attempt: the status, or why nobody answered.
    struct Outcome: Sendable {
        var status: Int?
        var error: String?
        var delivered: Bool { status.map { (200..<300).contains($0) } ?? false }
    }

    static func post(_ body: String, to handler: SimulatedSubscription.Handler, timeout: Duration) async -> Outcome {
        if let unreachable = await HandlerReachability.failure(for: handler.url) {
            return Outcome(status: nil, error: unreachable)
        }
        var request = HTTPClientRequest(url: handler.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for header in handler.customHeaders { request.headers.add(name: header.name, value: header.value) }
        if let secret = handler.secret {
            let value =
                handler.useSecretForSigning
                ? Digest.hex(Digest.hmac(.sha256, key: Array(secret.utf8), message: Array(body.utf8))) : secret
            request.headers.replaceOrAdd(name: "X-JFrog-Event-Auth", value: value)
        }
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .init(timeout))
            _ = try? await response.body.collect(upTo: 64 << 10)
            let status = Int(response.status.code)
            return Outcome(status: status, error: (200..<300).contains(status) ? nil : "unexpected status \(status)")
        } catch {
            return Outcome(status: nil, error: "error executing webhook: \(error)")
        }
    }
}

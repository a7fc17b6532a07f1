import ArtifactorySimulator
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// Runs a simulator on an ephemeral port and sends raw requests to it with Hummingbird's live
/// test client, which puts the request target on the wire exactly as written.
enum LiveSimulator {
    static let token = "doc-token"

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    static func run<Value: Sendable>(
        _ simulator: ArtifactorySimulator = ArtifactorySimulator(
            configuration: .init(tokens: [token], repositories: ["libs-release-local", "ext-releases-local"])),
        _ test: @Sendable (ArtifactorySimulator, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let application = try simulator.makeApplication(logger: logger)
        return try await application.test(.live) { client in try await test(simulator, client) }
    }

    /// Headers with the Bearer token, plus a content type when given.
    static func headers(contentType: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let contentType { headers[.contentType] = contentType }
        return headers
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The body as text.
    var text: String { String(buffer: body) }
}

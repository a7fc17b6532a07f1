import ArtifactoryEvents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Storage

/// The test events `subscriptions test` asks Artifactory to send. They carry the command's random
/// test id in ``testHeader`` (a custom header of the tested subscription), are checked with the
/// endpoint's secrets like any delivery, and are noted on the command's row in the store, never
/// stored as events: `200` when the signature verified, `401` when it did not (noted too, so the
/// command can say so). An id no waiting test has is refused before the body is read.
extension IngestController {
    /// The header that marks a test event and carries its id.
    static let testHeader = HTTPField.Name("X-Artifactory-Hooks-Test")!

    func receiveTest(_ request: Request, id: String, context: HooksRequestContext) async throws -> Response {
        let name = context.parameters.get("endpoint") ?? ""
        guard let endpoint = endpoints[name] else { throw IngestError.unknownEndpoint(name) }
        let logger = context.logger
        guard let tests, Self.isTestID(id), let waiting = try await tests.subscriptionTest(id: id),
            waiting.endpoint == name, waiting.expiresAt > clock.now
        else {
            logRefusal(
                "Refused a test event that no subscriptions test waits for", code: "unknown_test", nil, name, logger)
            throw IngestError.unknownTest
        }
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw IngestError.unsupportedMediaType
        }
        let declaredLength = request.headers[.contentLength].flatMap(Int.init)
        if let declaredLength, declaredLength > ingest.maxBodyBytes {
            throw IngestError.tooLarge(limit: ingest.maxBodyBytes)
        }
        var verified = false
        var eventType = ""
        if let check = endpoint.verifier.begin(header: request.headers[Self.authHeader]) {
            let body = try await budget.withReservation { reservation in
                try await bodyDeadline.read(channel: context.channel) {
                    try await readBody(request.body, declaredLength: declaredLength, check: check, into: &reservation)
                }
            }
            verified = check.finish()
            eventType = Self.eventType(of: body)
        }
        _ = try await tests.recordSubscriptionTest(
            id: id, endpoint: name, verified: verified, eventType: eventType, at: clock.now)
        logger.notice(
            "Received a subscriptions test event",
            metadata: ["endpoint": "\(name)", "subscription": "\(waiting.subscription)", "verified": "\(verified)"])
        guard verified else { throw IngestError.unauthorized }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"test":"verified"}"#)))
    }

    /// A test id as the command makes them: 32 lowercase hex digits.
    static func isTestID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `domain.event_type` of a body, control characters escaped and at most 100 bytes; `""` when
    /// the body is not an event.
    static func eventType(of body: [UInt8]) -> String {
        guard let object = try? JSONParser.parse(body), let domain = object["domain"]?.stringValue,
            let type = object["event_type"]?.stringValue
        else { return "" }
        return String(ControlEscaping.escaped("\(domain).\(type)").prefix(100))
    }
}

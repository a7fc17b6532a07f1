import Foundation
public import Hummingbird
import Logging
public import Storage

/// `GET /healthz` (the process answers) and `GET /readyz` (config loaded and the store takes writes).
public struct HealthController: Sendable {
    let store: any EventStore

    public init(store: any EventStore) { self.store = store }

    /// Adds the health routes to `router`.
    public func addRoutes(to router: Router<HooksRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.json(.ok, ["status": "ok"])
        }
        router.get("/readyz") { _, context in
            do {
                try await store.checkWritable()
                return Self.json(.ok, ["status": "ready"])
            } catch {
                context.logger.warning(
                    "Readiness check failed: the store does not take writes", metadata: ["error": "\(error)"])
                return Self.json(
                    .serviceUnavailable, ["status": "unavailable", "reason": "the event store does not accept writes"])
            }
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

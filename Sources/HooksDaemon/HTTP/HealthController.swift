import Foundation
public import Hummingbird
public import Logging
public import Storage

/// `GET /healthz` (the process answers) and `GET /readyz` (config loaded and the store takes writes,
/// checked at most once a second: see ``ReadinessCheck``; and the store under `store.max_bytes`).
/// Not ready is 503 with `reason`: what refused, in the store's words.
public struct HealthController: Sendable {
    let readiness: ReadinessCheck
    let capacity: StoreCapacity

    public init(store: any StoreMaintenance, capacity: StoreCapacity = StoreCapacity(maxBytes: nil), logger: Logger) {
        readiness = ReadinessCheck(store: store, logger: logger)
        self.capacity = capacity
    }

    /// Adds the health routes to `router`.
    public func addRoutes(to router: Router<HooksRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.json(.ok, ["status": "ok"])
        }
        router.get("/readyz") { [readiness, capacity] _, _ in
            if let refusal = capacity.refusal {
                return Self.json(.serviceUnavailable, ["status": "unavailable", "reason": refusal])
            }
            switch await readiness.check() {
            case .ready:
                return Self.json(.ok, ["status": "ready"])
            case .notReady(let reason):
                return Self.json(
                    .serviceUnavailable,
                    ["status": "unavailable", "reason": "the event store does not accept writes: \(reason)"])
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

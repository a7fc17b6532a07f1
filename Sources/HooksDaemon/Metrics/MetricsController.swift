public import Hummingbird
import NIOCore
public import Prometheus

/// `GET /metrics`: the registry in Prometheus text format (version 0.0.4).
public struct MetricsController: Sendable {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// Adds the metrics route to `router`.
    public func addRoutes(to router: Router<HooksRequestContext>) {
        router.get("/metrics") { _, _ in
            var text: [UInt8] = []
            text.reserveCapacity(16 * 1024)
            registry.emit(into: &text)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}

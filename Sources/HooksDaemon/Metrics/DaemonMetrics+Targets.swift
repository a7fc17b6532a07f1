import CoreMetrics
import Metrics

extension DaemonMetrics {
    /// Counts one call to an outbound target (`target_requests_total{target, status_class}`) and
    /// times it (`target_request_duration_seconds{target}`). `target` is a configured target's
    /// name, so the label has as many values as the config has targets.
    func targetCall(target: String, httpStatus: Int?, duration: Duration) {
        let statusClass = httpStatus.map { (100...599).contains($0) ? "\($0 / 100)xx" : "other" } ?? "none"
        Counter(
            label: Self.prefix + "target_requests_total",
            dimensions: [("target", target), ("status_class", statusClass)],
            factory: factory
        ).increment()
        CoreMetrics.Timer(
            label: Self.prefix + "target_request_duration_seconds", dimensions: [("target", target)], factory: factory
        ).record(duration: duration)
    }
}

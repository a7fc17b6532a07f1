import Foundation
import YAMLDiagnostics

/// The keys that shape how the daemon runs in production: the admin listener and retention.
extension ConfigReader {
    /// `admin_listen`: `host:port`, or `off` / `""` for none. `ARTIFACTORY_HOOKS_ADMIN_LISTEN`
    /// overrides it (`off` too).
    func readAdminListen(_ top: YAMLMappingReader) -> DaemonConfig.ListenAddress? {
        let fallback = DaemonConfig.defaultAdminListen
        if let text = environment["ARTIFACTORY_HOOKS_ADMIN_LISTEN"] {
            if Self.isOff(text) { return nil }
            guard let address = DaemonConfig.ListenAddress(parsing: text) else {
                reportEnvironment("ARTIFACTORY_HOOKS_ADMIN_LISTEN", "expected host:port or off, found \"\(text)\"")
                return fallback
            }
            return address
        }
        guard let node = top.value("admin_listen") else { return fallback }
        guard let text = node.scalar else {
            document.report("expected host:port or off, found \(node.typeName)", at: node)
            return fallback
        }
        if Self.isOff(text) { return nil }
        guard let address = DaemonConfig.ListenAddress(parsing: text) else {
            document.report(
                "expected host:port (for example 127.0.0.1:9465), or off to serve /metrics on the webhook listener, found \"\(text)\"",
                at: node)
            return fallback
        }
        return address
    }

    /// `store.retention`, `store.retention_interval`, `store.retention_batch`;
    /// `ARTIFACTORY_HOOKS_STORE_RETENTION` overrides the first.
    func readRetention(_ top: YAMLMappingReader) -> DaemonConfig.Retention {
        var retention = DaemonConfig.Retention()
        if let node = top.value("store"), let store = YAMLMappingReader(node, in: document) {
            if let text = store.string("retention") {
                if !Self.parseRetention(text, into: &retention) {
                    document.report(
                        DurationText.problem(text, example: "30d, 12h or off (keep everything)"),
                        at: store.value("retention"))
                }
            }
            if let text = store.string("retention_interval") {
                if let interval = DurationText.parse(text), interval > .zero {
                    retention.interval = interval
                } else {
                    document.report(
                        DurationText.problem(text, example: "10m or 1h"),
                        at: store.value("retention_interval"))
                }
            }
            if let batch = store.integer("retention_batch") {
                if batch >= 1 {
                    retention.batchSize = batch
                } else {
                    document.report("must be at least 1", at: store.value("retention_batch"))
                }
            }
        }
        if let text = override("ARTIFACTORY_HOOKS_STORE_RETENTION") {
            if !Self.parseRetention(text, into: &retention) {
                reportEnvironment(
                    "ARTIFACTORY_HOOKS_STORE_RETENTION", DurationText.problem(text, example: "30d or off"))
            }
        }
        return retention
    }

    /// Sets `retention.maxAge` from a duration, or to `nil` for `off`/`0` (keep everything);
    /// returns `false` and leaves it alone when `text` is neither.
    static func parseRetention(_ text: String, into retention: inout DaemonConfig.Retention) -> Bool {
        if isOff(text) {
            retention.maxAge = nil
            return true
        }
        guard let duration = DurationText.parse(text) else { return false }
        retention.maxAge = duration == .zero ? nil : duration
        return true
    }

    /// `off`, `none`, `false` or empty.
    static func isOff(_ text: String) -> Bool {
        ["", "off", "none", "false", "no"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

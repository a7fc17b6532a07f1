import Foundation
import YAMLDiagnostics

/// The keys that bound what a sender can make the daemon keep: `store.max_bytes` and
/// `endpoints[].rate_limit`.
extension ConfigReader {
    /// `store.max_bytes`: a size (`500MiB`, `20GiB`, a number of bytes) or `off`;
    /// `ARTIFACTORY_HOOKS_STORE_MAX_BYTES` overrides it. `nil` when off (the default).
    func readStoreMaxBytes(_ top: YAMLMappingReader) -> Int? {
        var maxBytes: Int?
        if let node = top.value("store"), let store = YAMLMappingReader(node, in: document),
            let text = store.string("max_bytes")
        {
            if !Self.parseMaxBytes(text, into: &maxBytes) {
                document.report(
                    "expected a size such as 500MiB or 20GiB, or off, found \"\(text)\"", at: store.value("max_bytes"))
            }
        }
        if let text = override("ARTIFACTORY_HOOKS_STORE_MAX_BYTES"), !Self.parseMaxBytes(text, into: &maxBytes) {
            reportEnvironment(
                "ARTIFACTORY_HOOKS_STORE_MAX_BYTES", "expected a size such as 20GiB, or off, found \"\(text)\"")
        }
        return maxBytes
    }

    /// Sets `maxBytes` from a positive size, or to `nil` for `off`/`0`; returns `false` and leaves
    /// it alone when `text` is neither.
    static func parseMaxBytes(_ text: String, into maxBytes: inout Int?) -> Bool {
        if isOff(text) || text.trimmingCharacters(in: .whitespaces) == "0" {
            maxBytes = nil
            return true
        }
        guard let bytes = ByteCount.parse(text), bytes > 0 else { return false }
        maxBytes = bytes
        return true
    }

    /// `rate_limit` of one endpoint: `{per_second: N, burst: M}`; `nil` when absent or wrong (each
    /// mistake reported at its line).
    func readRateLimit(_ endpoint: YAMLMappingReader) -> DaemonConfig.RateLimit? {
        guard let node = endpoint.value("rate_limit") else { return nil }
        guard let section = YAMLMappingReader(node, in: document) else { return nil }
        section.rejectUnknownKeys(["per_second", "burst"])
        guard let text = section.string("per_second") else {
            document.report("missing \"per_second\": how many deliveries a second this endpoint takes", at: node)
            return nil
        }
        guard let perSecond = Double(text), perSecond.isFinite, perSecond > 0 else {
            document.report(
                "expected a number of deliveries a second above 0, such as 10 or 0.5, found \"\(text)\"",
                at: section.value("per_second"))
            return nil
        }
        guard section.value("burst") != nil else { return DaemonConfig.RateLimit(perSecond: perSecond) }
        guard let burst = section.integer("burst") else { return nil }
        guard burst >= 1 else {
            document.report("must be at least 1 (deliveries accepted at once)", at: section.value("burst"))
            return nil
        }
        return DaemonConfig.RateLimit(perSecond: perSecond, burst: burst)
    }
}

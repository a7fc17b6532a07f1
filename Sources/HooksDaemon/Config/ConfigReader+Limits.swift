import Foundation
import YAMLDiagnostics

/// The keys that bound what a sender can make the daemon keep: `store.max_bytes` and
/// `endpoints[].rate_limit`.
extension ConfigReader {
    /// `store.max_bytes`: a size (`500MiB`, `20GiB`, a number of bytes), or `off`/`0` for no cap
    /// (`nil`); `ARTIFACTORY_HOOKS_STORE_MAX_BYTES` overrides it.
    static var storeMaxBytes: ConfigSetting<Int?> {
        ConfigSetting(
            "max_bytes", variable: "ARTIFACTORY_HOOKS_STORE_MAX_BYTES",
            parse: { text -> Int?? in
                if isOff(text) || text.trimmingCharacters(in: .whitespaces) == "0" { return .some(nil) }
                guard let bytes = ByteCount.parse(text), bytes > 0 else { return nil }
                return .some(bytes)
            },
            problem: { "expected a size such as 500MiB or 20GiB, or off, found \"\($0)\"" },
            environmentProblem: { "expected a size such as 20GiB, or off, found \"\($0)\"" })
    }

    /// `store.max_bytes` as ``DaemonConfig/storeMaxBytes`` holds it.
    func readStoreMaxBytes(_ top: YAMLMappingReader) -> Int? {
        var maxBytes: Int?
        let store = top.value("store").flatMap { YAMLMappingReader($0, in: document) }
        read(Self.storeMaxBytes, in: store, into: &maxBytes)
        return maxBytes
    }

    /// `rate_limit` of one endpoint: `{per_second: N, burst: M}`; `nil` when absent or wrong (each
    /// mistake reported at its line).
    func readRateLimit(_ endpoint: YAMLMappingReader) -> DaemonConfig.RateLimit? {
        guard let node = endpoint.value("rate_limit") else { return nil }
        guard let section = YAMLMappingReader(node, in: document) else { return nil }
        section.rejectUnknownKeys(ConfigFileSchema.rateLimit.keyNames)
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

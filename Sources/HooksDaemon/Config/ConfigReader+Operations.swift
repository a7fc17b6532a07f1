import Foundation
import YAMLDiagnostics

/// The keys that shape how the store is kept in production: retention.
extension ConfigReader {
    /// `store.retention`: a duration, or `off`/`0` to keep everything (`nil`);
    /// `ARTIFACTORY_HOOKS_STORE_RETENTION` overrides it.
    static var retention: ConfigSetting<Duration?> {
        ConfigSetting(
            "retention", variable: "ARTIFACTORY_HOOKS_STORE_RETENTION",
            parse: { text -> Duration?? in
                if isOff(text) { return .some(nil) }
                guard let duration = DurationText.parse(text) else { return nil }
                return .some(duration == .zero ? nil : duration)
            },
            problem: { DurationText.problem($0, example: "30d, 12h or off (keep everything)") },
            environmentProblem: { DurationText.problem($0, example: "30d or off") })
    }

    /// `store.retention`, `store.retention_interval`, `store.retention_batch`.
    func readRetention(_ top: YAMLMappingReader) -> DaemonConfig.Retention {
        var retention = DaemonConfig.Retention()
        if let node = top.value("store"), let store = YAMLMappingReader(node, in: document) {
            readFile(Self.retention, in: store, into: &retention.maxAge)
            readFile(.duration("retention_interval", example: "10m or 1h"), in: store, into: &retention.interval)
            readFile(.count("retention_batch", minimum: 1), in: store, into: &retention.batchSize)
        }
        readEnvironment(Self.retention, into: &retention.maxAge)
        return retention
    }

    /// `off`, `none`, `false` or empty.
    static func isOff(_ text: String) -> Bool {
        ["", "off", "none", "false", "no"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

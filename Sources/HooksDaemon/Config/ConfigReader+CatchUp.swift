import YAMLDiagnostics

extension ConfigReader {
    /// `catch_up.interval`: a duration, or `0`/`off` for never (`nil`);
    /// `ARTIFACTORY_HOOKS_CATCH_UP_INTERVAL` overrides it.
    static var catchUpInterval: ConfigSetting<Duration?> {
        ConfigSetting(
            "interval", variable: "ARTIFACTORY_HOOKS_CATCH_UP_INTERVAL",
            parse: { text -> Duration?? in
                if isOff(text) { return .some(nil) }
                guard let duration = DurationText.parse(text) else { return nil }
                return .some(duration == .zero ? nil : duration)
            },
            problem: { DurationText.problem($0, example: "5m, 1h or off") },
            environmentProblem: { DurationText.problem($0, example: "5m or off") })
    }

    /// `catch_up.interval`.
    func readCatchUp(_ top: YAMLMappingReader) -> DaemonConfig.CatchUp {
        var catchUp = DaemonConfig.CatchUp()
        if let node = top.value("catch_up"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys(ConfigFileSchema.catchUp.keyNames)
            readFile(Self.catchUpInterval, in: section, into: &catchUp.interval)
        }
        readEnvironment(Self.catchUpInterval, into: &catchUp.interval)
        return catchUp
    }
}

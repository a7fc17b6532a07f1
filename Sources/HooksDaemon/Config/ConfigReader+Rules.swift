import Rules
import YAMLDiagnostics

/// `rules:`: the rules directory, either as a path (`rules: /etc/artifactory-hooks/rules`) or as a
/// section with `directory` and `mode` (the mode of every rule that does not say `mode:` itself).
extension ConfigReader {
    static var rulesKeys: [String] { ConfigFileSchema.rules.keyNames }

    func readRules(_ top: YAMLMappingReader, into config: inout DaemonConfig) {
        guard let node = top.value("rules"), node.entries != nil else {
            read(rulesDirectory(key: "rules"), in: top, into: &config.rulesDirectory)
            read(Self.rulesMode, in: nil, into: &config.rulesMode)
            return
        }
        guard let section = YAMLMappingReader(node, in: document) else { return }
        section.rejectUnknownKeys(Self.rulesKeys)
        read(rulesDirectory(key: "directory"), in: section, into: &config.rulesDirectory)
        read(Self.rulesMode, in: section, into: &config.rulesMode)
    }

    /// `rules` or `rules.directory`: the rules directory, relative to the config file's;
    /// `ARTIFACTORY_HOOKS_RULES`, when set, replaces it unread.
    func rulesDirectory(key: String) -> ConfigSetting<String?> {
        ConfigSetting(
            key, variable: "ARTIFACTORY_HOOKS_RULES", variableHidesFile: true, parse: { .some(resolvePath($0)) },
            problem: { _ in "expected a directory" })
    }

    /// `rules.mode`: `live` or `shadow`; `ARTIFACTORY_HOOKS_RULES_MODE` overrides it.
    static var rulesMode: ConfigSetting<RuleMode> {
        ConfigSetting(
            "mode", variable: "ARTIFACTORY_HOOKS_RULES_MODE", parse: RuleMode.init(parsing:),
            problem: RuleMode.problem)
    }
}

import YAMLDiagnostics

/// The listeners' connection caps: `ingest.max_connections` and `admin.max_connections`.
extension ConfigReader {
    /// `max_connections` of a listener's section, at least 1; `variable` overrides it.
    static func maxConnections(variable: String) -> ConfigSetting<Int> {
        .count(
            "max_connections", variable: variable, minimum: 1,
            belowMinimum: "must be at least 1 (connections held at once, such as 512)",
            environmentProblem: { text in
                Int(text.filter { $0 != "_" }) == nil
                    ? "expected a whole number, found \"\(text)\"" : "must be at least 1, found \"\(text)\""
            })
    }

    /// `admin: {max_connections}`; `ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS` overrides it.
    func readAdmin(_ top: YAMLMappingReader) -> DaemonConfig.Admin {
        var admin = DaemonConfig.Admin()
        let maxConnections = Self.maxConnections(variable: "ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS")
        let section = top.value("admin").flatMap { YAMLMappingReader($0, in: document) }
        section?.rejectUnknownKeys(ConfigFileSchema.admin.keyNames)
        read(maxConnections, in: section, into: &admin.maxConnections)
        return admin
    }
}

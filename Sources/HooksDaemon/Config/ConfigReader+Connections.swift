import YAMLDiagnostics

/// The listeners' connection caps: `ingest.max_connections` and `admin.max_connections`.
extension ConfigReader {
    /// `admin: {max_connections}`; `ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS` overrides it.
    func readAdmin(_ top: YAMLMappingReader) -> DaemonConfig.Admin {
        var admin = DaemonConfig.Admin()
        if let node = top.value("admin"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys(["max_connections"])
            readConnectionCap(section, into: &admin.maxConnections)
        }
        readConnectionCap("ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS", into: &admin.maxConnections)
        return admin
    }

    /// `max_connections` of `section` into `cap`, when given and at least 1.
    func readConnectionCap(_ section: YAMLMappingReader, into cap: inout Int) {
        guard let value = section.integer("max_connections") else { return }
        guard value >= 1 else {
            document.report(
                "must be at least 1 (connections held at once, such as 512)", at: section.value("max_connections"))
            return
        }
        cap = value
    }

    /// The environment variable `variable`, when set, into `cap`.
    func readConnectionCap(_ variable: String, into cap: inout Int) {
        guard let text = override(variable) else { return }
        guard let value = Int(text), value >= 1 else {
            reportEnvironment(variable, "expected a whole number of at least 1, found \"\(text)\"")
            return
        }
        cap = value
    }
}

import YAMLDiagnostics

/// The status page's section: `ui: {enabled, write, token_file}`.
extension ConfigReader {
    /// Reads `ui:`; `write: true` without `token_file` is an error (the actions would have no
    /// credential), and so is `token_file` on a page without writes (a credential nobody uses).
    func readUI(_ top: YAMLMappingReader) -> DaemonConfig.UI {
        var ui = DaemonConfig.UI()
        guard let section = top.value("ui").flatMap({ YAMLMappingReader($0, in: document) }) else { return ui }
        section.rejectUnknownKeys(ConfigFileSchema.ui.keyNames)
        if let enabled = section.boolean("enabled") { ui.enabled = enabled }
        if let write = section.boolean("write") { ui.write = write }
        if section.value("token_file") != nil {
            ui.token = readSecrets(section, fileKey: "token_file", envKey: "token_env", listKey: nil).first
        }
        if ui.write, section.value("token_file") == nil, section.value("token_env") == nil {
            document.report(
                "write: true needs token_file (or token_env): the page's actions need an admin credential",
                at: section.value("write"))
        }
        return ui
    }
}

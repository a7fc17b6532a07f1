import Logging
import Rules
import YAMLDiagnostics

extension Logger {
    /// Logs a rule set that was just loaded, at start or on a reload: each warning (a kind
    /// misspelt, a field never sent: often a rule that will never run), then one `Rules loaded`
    /// line with the rule counts and `metadata`.
    func rulesLoaded(_ loaded: RuleSet, _ metadata: Logger.Metadata) {
        for warning in loaded.warnings {
            self.warning("Rule warning", metadata: ["rules.diagnostic": .string(warning.description)])
        }
        var metadata = metadata
        metadata["rules.count"] = .stringConvertible(loaded.rules.count)
        metadata["rules.enabled"] = .stringConvertible(loaded.enabledCount)
        info("Rules loaded", metadata: metadata)
    }
}

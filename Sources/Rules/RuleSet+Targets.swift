public import YAMLDiagnostics

extension RuleSet {
    /// Loads `directory` (``load(directory:)``) and, when `knownTargets` is given (the config's
    /// `targets:`), fails as an invalid rule set when an `http:` call names another target.
    public static func load(directory: String, knownTargets: [String]?) throws(RulesError) -> RuleSet {
        let loaded = try load(directory: directory)
        guard let knownTargets else { return loaded }
        let unknown = loaded.unknownTargets(known: knownTargets)
        guard unknown.isEmpty else {
            throw RulesError(
                .invalidRules, "\(unknown.count) error(s) in the rules in \(directory)", file: directory,
                diagnostics: loaded.warnings + unknown)
        }
        return loaded
    }

    /// The outbound targets the rules' `http:` calls name, each once, sorted.
    public var targetNames: [String] {
        Set(rules.flatMap { $0.actions.compactMap(\.targetName?.name) }).sorted()
    }

    /// An error at each `http:` call whose target is not in `known` (the config's `targets:`), with
    /// a did-you-mean; empty when every named target is known. Rule files alone cannot know the
    /// targets: `rules check --config` and the daemon (at start and on reload) call this.
    public func unknownTargets(known: [String]) -> [Diagnostic] {
        Self.unknownTargets(in: rules, known: known)
    }

    static func unknownTargets(in rules: [Rule], known: [String]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for rule in rules {
            for target in rule.actions.compactMap(\.targetName) where !known.contains(target.name) {
                var message = "unknown target \"\(target.name)\""
                if let suggestion = closest(to: target.name, in: known) {
                    message += "; did you mean \"\(suggestion)\"?"
                } else if known.isEmpty {
                    message += "; the config has no targets: section"
                } else {
                    message += "; the config's targets are \(known.joined(separator: ", "))"
                }
                diagnostics.append(
                    Diagnostic(
                        file: target.file, line: target.line, column: target.column, keyPath: target.keyPath,
                        message: message))
            }
        }
        return diagnostics
    }
}

extension ActionSpec {
    /// The target of an `http:` call; `nil` for every other action.
    var targetName: GenericCall.TargetName? {
        if case .call(let call) = operation { return call.target }
        return nil
    }
}

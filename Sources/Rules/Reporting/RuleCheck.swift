public import YAMLDiagnostics

/// The outcome of `rules check`: every diagnostic of every file and a summary.
public struct RuleCheck: Sendable {
    /// The files read, in order.
    public let files: [String]
    /// Rules read (including broken ones that had a name).
    public let ruleCount: Int
    /// Errors and warnings, file by file, each file's in line order.
    public let diagnostics: [Diagnostic]

    /// Checks every rule file in `directory`.
    ///
    /// - Throws: ``RulesError`` `unreadable_directory` when the directory cannot be listed.
    public static func run(directory: String) throws(RulesError) -> RuleCheck {
        let (sources, problems) = try RuleSource.read(directory: directory)
        var check = run(sources)
        check = RuleCheck(
            files: check.files, ruleCount: check.ruleCount, diagnostics: problems + check.diagnostics,
            rules: check.rules)
        if sources.isEmpty, problems.isEmpty {
            let warning = Diagnostic(
                file: directory, line: 0, column: 0, keyPath: "", severity: .warning,
                message: "no *.yml or *.yaml rule files here")
            return RuleCheck(files: [], ruleCount: 0, diagnostics: [warning])
        }
        return check
    }

    /// Checks rule files given as text.
    public static func run(_ sources: [RuleSource]) -> RuleCheck {
        let outcome = RuleSetCompiler.compile(sources)
        return RuleCheck(
            files: sources.map(\.file), ruleCount: outcome.rules.count, diagnostics: outcome.diagnostics,
            rules: outcome.rules)
    }

    /// The check with an error at every `http:` call naming a target not in `known` (the config's
    /// `targets:`; ``RuleSet/unknownTargets(known:)``), each file's diagnostics kept in line order.
    public func checkingTargets(known: [String]) -> RuleCheck {
        let added = RuleSet.unknownTargets(in: rules, known: known)
        let merged = (diagnostics + added).enumerated().sorted { lhs, rhs in
            func key(_ item: (offset: Int, element: Diagnostic)) -> (Int, Int, Int, Int) {
                (files.firstIndex(of: item.element.file) ?? -1, item.element.line, item.element.column, item.offset)
            }
            return key(lhs) < key(rhs)
        }
        return RuleCheck(files: files, ruleCount: ruleCount, diagnostics: merged.map(\.element), rules: rules)
    }

    /// The rules read, for the checks that need the config.
    let rules: [Rule]

    init(files: [String], ruleCount: Int, diagnostics: [Diagnostic], rules: [Rule] = []) {
        self.rules = rules
        self.files = files
        self.ruleCount = ruleCount
        self.diagnostics = diagnostics
    }

    /// Diagnostics that fail the check.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// Diagnostics that do not.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// `3 files, 7 rules: 2 errors, 1 warning`.
    public var summary: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "\(count(files.count, "file")), \(count(ruleCount, "rule")): \(count(errorCount, "error")), "
            + count(warningCount, "warning")
    }
}

public import YAMLDiagnostics

/// Everything that goes wrong in the rules module: a rule directory that does not load, or one
/// action that cannot be planned for one event.
///
/// `description` is safe to show anyone (rule files hold no secrets, events are data the sender
/// already has); ``diagnostics`` carries every problem of a failed load, not the first alone.
public struct RulesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short stable code, used as a metric label and in stored plan failures.
    public enum Code: String, Sendable, Hashable, Codable {
        /// The rule directory cannot be listed.
        case unreadableDirectory = "unreadable_directory"
        /// One or more rule files have errors; see ``RulesError/diagnostics``.
        case invalidRules = "invalid_rules"
        /// A template names a field the event does not carry (or carries empty).
        case missingField = "missing_field"
        /// A template names a list or an object where one value is needed.
        case notAValue = "not_a_value"
        /// A path would climb out of its repository (a `.` or `..` segment) or is empty.
        case badPath = "bad_path"
        /// A repository key that Artifactory would not accept, or one of the paths it serves at
        /// the root of its URL (`api`, `ui`, …); see `RepositoryKey`.
        case badRepository = "bad_repository"
        /// The action needs an artifact or build run that the event does not name.
        case missingTarget = "missing_target"
        /// A glob that cannot be compiled (reported as a rule file diagnostic).
        case badPattern = "bad_pattern"
        /// A template that cannot be parsed (reported as a rule file diagnostic).
        case badTemplate = "bad_template"
        /// A rendered header value of an `http:` call holds a control character (a line break).
        case badHeader = "bad_header"
    }

    /// What kind of problem it is.
    public var code: Code
    /// What is wrong and what to do.
    public var message: String
    /// The rule directory or file concerned, when there is one.
    public var file: String?
    /// The rule concerned, when there is one.
    public var rule: String?
    /// Every problem found while loading (errors and warnings), in file order.
    public var diagnostics: [Diagnostic]

    public init(
        _ code: Code, _ message: String, file: String? = nil, rule: String? = nil, diagnostics: [Diagnostic] = []
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.rule = rule
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.isEmpty ? message : ([message] + diagnostics.map(\.description)).joined(separator: "\n")
    }
}

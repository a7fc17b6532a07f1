import YAMLDiagnostics

/// One config key: its name in its section, the `ARTIFACTORY_HOOKS_*` variable that overrides it,
/// the one parser both texts go through, and what a person is told when a text does not parse.
///
/// ``ConfigReader`` reads a setting with ``ConfigReader/read(_:in:into:)`` (or its two halves):
/// a wrong file value is reported at its FILE:LINE:COLUMN, a wrong variable as
/// `environment variable NAME: …` without a place, and reading goes on so that every mistake is
/// reported at once. A setting has no default: the value it reads into holds the default.
struct ConfigSetting<Value> {
    /// How a key's text is taken from the file and the environment.
    enum Text {
        /// A non-empty text; an empty variable counts as unset.
        case required
        /// Any scalar, empty included (`key: ""`, an empty variable); another node is reported with
        /// `expected \(expected), found \(its type)`.
        case emptyAllowed(expected: String)
    }

    /// The key within its section, such as `max_body_bytes`.
    let key: String
    /// The environment variable that overrides the key, when there is one.
    let variable: String?
    /// Whether a set variable keeps the file's value from being read at all (`true`), or the file
    /// is read, and reported, first (`false`).
    let variableHidesFile: Bool
    /// Whether the key's text may be empty.
    let text: Text
    /// The value `text` stands for; `nil` when it is wrong.
    let parse: (String) -> Value?
    /// What is wrong with a file's `text` that ``parse`` refused.
    let problem: (String) -> String
    /// What is wrong with the variable's `text` that ``parse`` refused.
    let environmentProblem: (String) -> String

    /// `environmentProblem` defaults to `problem`.
    init(
        _ key: String, variable: String? = nil, variableHidesFile: Bool = false, text: Text = .required,
        parse: @escaping (String) -> Value?, problem: @escaping (String) -> String,
        environmentProblem: ((String) -> String)? = nil
    ) {
        self.key = key
        self.variable = variable
        self.variableHidesFile = variableHidesFile
        self.text = text
        self.parse = parse
        self.problem = problem
        self.environmentProblem = environmentProblem ?? problem
    }
}

extension ConfigReader {
    /// Reads `setting` from `section` (absent: not given), then from its variable, into `target`;
    /// the variable wins. `target` keeps its value when neither gives a valid one.
    func read<Value>(_ setting: ConfigSetting<Value>, in section: YAMLMappingReader?, into target: inout Value) {
        if setting.variableHidesFile, environmentText(setting) != nil {
            readEnvironment(setting, into: &target)
            return
        }
        readFile(setting, in: section, into: &target)
        readEnvironment(setting, into: &target)
    }

    /// The file half of ``read(_:in:into:)``: a wrong value is reported at its node. Returns
    /// `false` when it reported.
    @discardableResult
    func readFile<Value>(_ setting: ConfigSetting<Value>, in section: YAMLMappingReader?, into target: inout Value)
        -> Bool
    {
        guard let section, let text = fileText(setting, in: section) else { return true }
        guard let value = setting.parse(text) else {
            document.report(setting.problem(text), at: section.value(setting.key))
            return false
        }
        target = value
        return true
    }

    /// The environment half of ``read(_:in:into:)``: a wrong value is reported without a place.
    /// Returns `false` when it reported.
    @discardableResult
    func readEnvironment<Value>(_ setting: ConfigSetting<Value>, into target: inout Value) -> Bool {
        guard let variable = setting.variable, let text = environmentText(setting) else { return true }
        guard let value = setting.parse(text) else {
            reportEnvironment(variable, setting.environmentProblem(text))
            return false
        }
        target = value
        return true
    }

    /// The text of `setting` in `section`, when given; a node of the wrong kind is reported.
    private func fileText<Value>(_ setting: ConfigSetting<Value>, in section: YAMLMappingReader) -> String? {
        switch setting.text {
        case .required:
            return section.string(setting.key)
        case .emptyAllowed(let expected):
            guard let node = section.value(setting.key) else { return nil }
            guard let text = node.scalar else {
                document.report("expected \(expected), found \(node.typeName)", at: node)
                return nil
            }
            return text
        }
    }

    /// The text of the variable of `setting`, when set (and, unless its text may be empty, not
    /// empty).
    private func environmentText<Value>(_ setting: ConfigSetting<Value>) -> String? {
        guard let variable = setting.variable else { return nil }
        switch setting.text {
        case .required: return override(variable)
        case .emptyAllowed: return environment[variable]
        }
    }
}

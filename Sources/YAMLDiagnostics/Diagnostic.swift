/// One problem in a YAML file (config or rules), located by file, line, column and key path.
///
/// `description` is the compiler-style line operators and editors understand:
/// `config.yml:12:5: error: endpoints[0].auth: unknown auth mode "hmac"; use token, hmac-sha256, …`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad it is: errors fail a check, warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The file (as given), or a pseudo-location such as `environment`.
    public var file: String
    /// 1-based line; 0 when the location has no line (an environment variable).
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    /// Dotted key path inside the document (`endpoints[0].secret_file`); empty for the document.
    public var keyPath: String
    public var severity: Severity
    /// What is wrong and what to do.
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.severity = severity
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        let key = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(location): \(severity.rawValue): \(key)\(message)"
    }
}

/// Every problem found while reading a file, reported together.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    /// All problems, in file order.
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

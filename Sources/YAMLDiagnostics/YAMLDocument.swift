public import Yams

/// A parsed YAML file and the diagnostics found while reading it.
///
/// Readers walk nodes with ``YAMLNode`` and report problems here instead of throwing, so a person
/// sees every mistake in one run.
public final class YAMLDocument {
    /// The file name used in diagnostics.
    public let file: String
    /// The root node, `nil` when the text did not parse or is empty.
    public let root: YAMLNode?
    /// Problems found so far.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Parses `text`; a syntax error (including a duplicate key) becomes a diagnostic.
    public init(file: String, text: String) {
        self.file = file
        do {
            // Readers interpret scalars from their text themselves, so the nodes need no implicit
            // tags and no constructors: Yams' default resolver compiles seven regular expressions
            // (a few milliseconds of every command's start) to tag scalars nothing reads.
            root = try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8).map {
                YAMLNode(node: $0, keyPath: "")
            }
        } catch let error as YamlError {
            root = nil
            diagnostics.append(Self.diagnostic(for: error, file: file, text: text))
        } catch {
            root = nil
            diagnostics.append(Diagnostic(file: file, line: 0, column: 0, keyPath: "", message: "\(error)"))
        }
    }

    /// Whether any error (not warning) was reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Reports a problem at `node` (or at the document when `nil`); the same problem reported
    /// again is kept once.
    public func report(_ message: String, at node: YAMLNode?, severity: Diagnostic.Severity = .error) {
        let mark = node?.node.mark
        let diagnostic = Diagnostic(
            file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: node?.keyPath ?? "",
            severity: severity, message: message)
        // A part read once per rule (a file's shared defaults) reports the same problem once.
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    /// Reports a problem that has no place in the file (an environment variable, a missing file).
    public func reportUnlocated(_ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(
            Diagnostic(file: file, line: 0, column: 0, keyPath: "", severity: severity, message: message))
    }

    private static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let first = context.mark
            let key = duplicates.first ?? ""
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            guard let repeated = repeatedKey(key, after: first, in: text) else {
                return Diagnostic(
                    file: file, line: first.line, column: first.column, keyPath: "",
                    message: "duplicate key \(names); each key may appear once")
            }
            return Diagnostic(
                file: file, line: repeated.line, column: repeated.column, keyPath: "",
                message: "duplicate key \(names) (first at line \(first.line)); each key may appear once")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            guard let context, context.mark.line < mark.line else {
                let hint = isTab(at: mark, in: text) ? " (a tab: YAML indents with spaces only)" : ""
                return Diagnostic(
                    file: file, line: mark.line, column: mark.column, keyPath: "",
                    message: "YAML syntax: \(problem)\(hint)")
            }
            // An unclosed quote or flow collection is only found at the end of the file: where it
            // was opened is where the mistake is. Any other problem is where it was found.
            if opensUnclosedScalarOrFlow(context.text) {
                return Diagnostic(
                    file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                    message: "YAML syntax: \(problem) \(context.text) that starts here (found at line \(mark.line))")
            }
            return Diagnostic(
                file: file, line: mark.line, column: mark.column, keyPath: "",
                message: "YAML syntax: \(problem) (\(context.text) that starts at line \(context.mark.line))")
        default:
            return Diagnostic(file: file, line: 1, column: 1, keyPath: "", message: "YAML: \(error)")
        }
    }

    /// Whether the character at `mark` (1-based line and column, in Unicode scalars) is a tab.
    private static func isTab(at mark: Mark, in text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count, mark.column >= 1 else { return false }
        let scalars = lines[mark.line - 1].unicodeScalars
        guard mark.column <= scalars.count else { return false }
        return scalars[scalars.index(scalars.startIndex, offsetBy: mark.column - 1)] == "\t"
    }

    /// Whether libyaml's context names a quoted scalar or a flow collection, whose opening is the
    /// place to fix when its end is missing.
    private static func opensUnclosedScalarOrFlow(_ context: String) -> Bool {
        context.contains("quoted scalar") || context.contains("flow")
    }

    /// The line and column of the second `key` of the block mapping whose first `key` is at
    /// `first`: the next line indented exactly as far whose text starts with the key and a colon,
    /// before the mapping ends (a line indented less). `nil` when not found (a flow mapping).
    private static func repeatedKey(_ key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let indent = first.column - 1
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count, !key.isEmpty else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.first == "#" { continue }
            let lineIndent = line.count - content.count
            if lineIndent < indent { return nil }
            guard lineIndent == indent else { continue }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where content.hasPrefix(candidate) {
                if content.dropFirst(candidate.count).drop(while: { $0 == " " }).first == ":" {
                    return (index + 1, indent + 1)
                }
            }
        }
        return nil
    }
}

/// A node with the key path that leads to it, for diagnostics.
public struct YAMLNode {
    /// The Yams node.
    public let node: Node
    /// Dotted key path (`endpoints[0].name`).
    public let keyPath: String

    public init(node: Node, keyPath: String) {
        self.node = node
        self.keyPath = keyPath
    }

    /// 1-based line of the node.
    public var line: Int { node.mark?.line ?? 0 }

    /// The scalar's text, `nil` for mappings and sequences.
    public var scalar: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// Whether the node is an explicit or implicit YAML null (`~`, `null`, empty).
    public var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// The mapping's entries in file order, with child key paths; `nil` when not a mapping.
    public var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.map { pair in
            let key = pair.key.string ?? "\(pair.key)"
            let path = keyPath.isEmpty ? key : "\(keyPath).\(key)"
            return (key, YAMLNode(node: pair.key, keyPath: path), YAMLNode(node: pair.value, keyPath: path))
        }
    }

    /// The sequence's items with indexed key paths; `nil` when not a sequence.
    public var items: [YAMLNode]? {
        guard case .sequence(let sequence) = node else { return nil }
        return sequence.enumerated().map { YAMLNode(node: $1, keyPath: "\(keyPath)[\($0)]") }
    }

    /// A short name of the node's type, for "expected X, found Y" messages.
    public var typeName: String {
        switch node {
        case .scalar: isNull ? "nothing" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

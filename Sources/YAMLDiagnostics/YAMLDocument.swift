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
            diagnostics.append(Self.diagnostic(for: error, file: file))
        } catch {
            root = nil
            diagnostics.append(Diagnostic(file: file, line: 0, column: 0, keyPath: "", message: "\(error)"))
        }
    }

    /// Whether any error (not warning) was reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Reports a problem at `node` (or at the document when `nil`).
    public func report(_ message: String, at node: YAMLNode?, severity: Diagnostic.Severity = .error) {
        let mark = node?.node.mark
        diagnostics.append(
            Diagnostic(
                file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: node?.keyPath ?? "",
                severity: severity, message: message))
    }

    /// Reports a problem that has no place in the file (an environment variable, a missing file).
    public func reportUnlocated(_ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(
            Diagnostic(file: file, line: 0, column: 0, keyPath: "", severity: severity, message: message))
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                message:
                    "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")); each key may appear once")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // An unclosed quote or bracket is found at the end of the file; where it was opened is
            // where the mistake is.
            if let context, context.mark.line < mark.line {
                return Diagnostic(
                    file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                    message: "YAML syntax: \(problem) \(context.text) that starts here (found at line \(mark.line))")
            }
            return Diagnostic(
                file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML syntax: \(problem)")
        default:
            return Diagnostic(file: file, line: 1, column: 1, keyPath: "", message: "YAML: \(error)")
        }
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

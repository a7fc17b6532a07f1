import YAMLDiagnostics
import Yams

/// Compiles rule files into rules, collecting every diagnostic of every file, including the
/// checks that span files (duplicate rule names).
enum RuleSetCompiler {
    struct Outcome {
        var rules: [Rule]
        /// Errors and warnings, file by file, each file's in line order.
        var diagnostics: [Diagnostic]
    }

    static func compile(_ sources: [RuleSource]) -> Outcome {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        var firstDefinition: [String: String] = [:]
        for source in sources {
            let document = YAMLDocument(file: source.file, text: source.text)
            let read = RuleFileReader(document: document).read()
            for entry in read {
                if let first = firstDefinition[entry.rule.name] {
                    document.report(
                        "duplicate rule name \"\(entry.rule.name)\"; it is first defined at \(first)",
                        at: entry.nameNode)
                } else {
                    firstDefinition[entry.rule.name] = "\(source.file):\(entry.nameNode.line):\(entry.nameNode.column)"
                }
                rules.append(entry.rule)
            }
            diagnostics += document.diagnostics.enumerated().sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }.map(\.element)
        }
        return Outcome(rules: rules, diagnostics: diagnostics)
    }
}

extension YAMLNode {
    /// 1-based column of the node.
    var column: Int { node.mark?.column ?? 0 }
}

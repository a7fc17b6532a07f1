import Foundation
public import YAMLDiagnostics

/// The text of one rule file and the name diagnostics give it.
public struct RuleSource: Sendable, Hashable {
    /// The file name used in diagnostics (`rules/qa.yml`).
    public var file: String
    /// The file's YAML text.
    public var text: String

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// Every `*.yml` and `*.yaml` file directly in `directory`, in name order; hidden files
    /// (editor swap files, `.#…`) are skipped. Diagnostics name files as `directory/NAME`.
    ///
    /// A file that cannot be read as UTF-8 text comes back with a diagnostic instead.
    public static func read(directory: String) throws(RulesError) -> (sources: [RuleSource], problems: [Diagnostic]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw RulesError(.unreadableDirectory, Self.whyUnreadable(directory), file: directory)
        }
        var sources: [RuleSource] = []
        var problems: [Diagnostic] = []
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() where !name.hasPrefix(".") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml")) {
            let file = prefix + name
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                problems.append(
                    Diagnostic(
                        file: file, line: 0, column: 0, keyPath: "", message: "cannot read this file as UTF-8 text"))
                continue
            }
            sources.append(RuleSource(file: file, text: text))
        }
        return (sources, problems)
    }

    /// Why `directory` could not be listed, in words (Foundation's own error says only "The
    /// operation could not be completed").
    static func whyUnreadable(_ directory: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return "the rules directory \(directory) does not exist; create it or fix the path"
        }
        guard isDirectory.boolValue else {
            return "\(directory) is a file; give the directory that holds the rule files (every *.yml in it is read)"
        }
        return "cannot read the rules directory \(directory); check that the daemon's user may read it"
    }
}

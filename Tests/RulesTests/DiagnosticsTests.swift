import Foundation
import Rules
import Testing
import YAMLDiagnostics

/// Invalid rule files → the exact diagnostics beside them (`NAME.expected`, one per line).
struct DiagnosticsTests {
    /// Every case under fixtures/rules/invalid: a `NAME.yml` file or a `NAME/` directory.
    static let cases: [String] = {
        let directory = Fixtures.path("fixtures/rules/invalid")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".expected") }.map { String($0.dropLast(".expected".count)) }.sorted()
    }()

    static func source(of name: String) throws -> [RuleSource] {
        let isFile = FileManager.default.fileExists(atPath: Fixtures.path("fixtures/rules/invalid/\(name).yml"))
        return try Fixtures.ruleSources("invalid/\(name)" + (isFile ? ".yml" : ""))
    }

    @Test func everyInvalidFixtureHasACase() {
        #expect(Self.cases.count >= 12)
    }

    @Test(arguments: cases)
    func reportsExactDiagnostics(_ name: String) throws {
        // Given
        let sources = try Self.source(of: name)
        let expected = try String(
            contentsOfFile: Fixtures.path("fixtures/rules/invalid/\(name).expected"), encoding: .utf8
        ).split(separator: "\n").map(String.init)

        // When
        let check = RuleCheck.run(sources)

        // Then
        #expect(check.diagnostics.map(\.description) == expected)
        #expect(!expected.isEmpty)
    }

    @Test(arguments: cases)
    func loadingFailsExactlyWhenThereIsAnError(_ name: String) throws {
        let sources = try Self.source(of: name)
        let hasErrors = RuleCheck.run(sources).errorCount > 0
        do {
            let ruleSet = try RuleSet.compile(sources)
            #expect(!hasErrors)
            #expect(ruleSet.warnings == RuleCheck.run(sources).diagnostics)
        } catch {
            #expect(hasErrors)
            #expect(error.code == .invalidRules)
            #expect(error.diagnostics == RuleCheck.run(sources).diagnostics)
        }
    }

    @Test func onlyTheWarningsFixtureLoads() throws {
        let loadable = try Self.cases.filter { RuleCheck.run(try Self.source(of: $0)).errorCount == 0 }
        #expect(loadable == ["warnings"])
    }

    @Test func shippedExamplesAreClean() throws {
        let check = try RuleCheck.run(directory: Fixtures.path("rules"))
        #expect(check.diagnostics == [])
        #expect(check.files.count >= 3)
        #expect(check.ruleCount >= 4)
        #expect(check.summary == "\(check.files.count) files, \(check.ruleCount) rules: 0 errors, 0 warnings")
    }

    @Test func loadNamesFilesByDirectoryAndReadsOnlyYAML() throws {
        // Given a directory with a YAML file, a hidden file and a text file
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "rules:\n  - name: a\n    on: artifact.deployed\n    do: [delete: {}]\n".write(
            to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "rules: [oops".write(to: directory.appendingPathComponent(".a.yml.swp"), atomically: true, encoding: .utf8)
        try "not yaml at all: [".write(
            to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        // When
        let ruleSet = try RuleSet.load(directory: directory.path)

        // Then
        #expect(ruleSet.files == [directory.path + "/a.yaml"])
        #expect(ruleSet.rules.map(\.name) == ["a"])
        #expect(ruleSet.rules.first?.file == directory.path + "/a.yaml")
    }

    @Test func aMissingDirectoryIsAnError() {
        #expect {
            try RuleSet.load(directory: "/nonexistent/rules")
        } throws: { error in
            (error as? RulesError)?.code == .unreadableDirectory
                && "\(error)".contains("the rules directory /nonexistent/rules does not exist")
        }
    }

    @Test("a rule file given where the directory belongs says so")
    func aFileInsteadOfTheDirectory() {
        let file = Fixtures.path("fixtures/rules/invalid/empty-values.yml")
        #expect {
            try RuleSet.load(directory: file)
        } throws: { error in
            (error as? RulesError)?.code == .unreadableDirectory
                && "\(error)".contains("\(file) is a file; give the directory that holds the rule files")
        }
    }

    @Test func summaryCountsInSingularAndPlural() {
        let check = RuleCheck.run([
            RuleSource(file: "a.yml", text: "rules:\n  - name: a\n    on: artifact.deploy\n    do: [delete: {}]\n")
        ])
        #expect(check.summary == "1 file, 1 rule: 0 errors, 1 warning")
    }
}

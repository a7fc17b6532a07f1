import Foundation
import HooksDaemon
import Rules
import Testing
import YAMLDiagnostics

@Suite("Config: the rules section and rules.mode")
struct ConfigRulesModeTests {
    static let endpoints = "endpoints:\n  - name: m\n    auth: none\n"

    static func parse(_ text: String, environment: [String: String] = [:]) throws(DiagnosticsError) -> DaemonConfig {
        try DaemonConfig.parse(text: text + endpoints, file: "/etc/ah/config.yml", environment: environment)
    }

    static func problems(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("rules as a path is the directory, in live mode; as a section it takes directory and mode")
    func forms() throws {
        let short = try Self.parse("rules: rules.d\n")
        #expect(short.rulesDirectory == "/etc/ah/rules.d")
        #expect(short.rulesMode == .live)

        let section = try Self.parse("rules:\n  directory: rules.d\n  mode: shadow\n")
        #expect(section.rulesDirectory == "/etc/ah/rules.d")
        #expect(section.rulesMode == .shadow)

        let modeOnly = try Self.parse("rules:\n  mode: live\n")
        #expect(modeOnly.rulesDirectory == nil)
        #expect(modeOnly.rulesMode == .live)
        #expect(try Self.parse("").rulesMode == .live)
    }

    @Test("ARTIFACTORY_HOOKS_RULES_MODE overrides rules.mode, in either form")
    func environment() throws {
        let variable = ["ARTIFACTORY_HOOKS_RULES_MODE": "shadow"]
        #expect(try Self.parse("rules: rules.d\n", environment: variable).rulesMode == .shadow)
        #expect(try Self.parse("rules:\n  directory: r\n  mode: live\n", environment: variable).rulesMode == .shadow)
        let directory = ["ARTIFACTORY_HOOKS_RULES": "/srv/rules"]
        #expect(try Self.parse("rules:\n  directory: r\n", environment: directory).rulesDirectory == "/srv/rules")
    }

    @Test("a wrong mode, an unknown key or a wrong variable is reported at its place, with a suggestion")
    func mistakes() {
        #expect(
            Self.problems("rules:\n  directory: r\n  mode: shaddow\n") == [
                #"/etc/ah/config.yml:3:9: error: rules.mode: "shaddow" is not a mode; did you mean "shadow"? (use live or shadow)"#
            ])
        #expect(
            Set(Self.problems("rules:\n  directry: r\n  mode: dry-run\n")) == [
                #"/etc/ah/config.yml:2:3: error: rules.directry: unknown key "directry"; did you mean "directory"?"#,
                #"/etc/ah/config.yml:3:9: error: rules.mode: "dry-run" is not a mode (use live or shadow)"#,
            ])
        #expect(
            Self.problems("rules: r\n", environment: ["ARTIFACTORY_HOOKS_RULES_MODE": "Shadow"]) == [
                #"/etc/ah/config.yml: error: environment variable ARTIFACTORY_HOOKS_RULES_MODE: "Shadow" is not a mode; did you mean "shadow"? (use live or shadow)"#
            ])
    }
}

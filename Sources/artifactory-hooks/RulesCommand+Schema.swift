import ArgumentParser
import Rules
import YAMLDiagnostics

extension RulesCommand {
    /// `rules schema`: the JSON Schema of a rule file, from the definitions the checker reads with.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema (draft-07) of a rule file, for editors and validators.",
            discussion: """
                Made from the same key definitions `rules check` reads with; the repository ships it as \
                schema/rules.schema.json. A rule file starting with \
                `# yaml-language-server: $schema=../schema/rules.schema.json` is completed and checked as \
                you type in editors that use yaml-language-server (VS Code's YAML extension among them).
                Example: artifactory-hooks rules schema > schema/rules.schema.json
                """
        )

        func run() {
            print(RuleFileSchema.document.json, terminator: "")
        }
    }
}

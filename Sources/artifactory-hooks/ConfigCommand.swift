import ArgumentParser
import HooksDaemon
import YAMLDiagnostics

/// `artifactory-hooks config …`: the config file's schema.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Describe the config file.",
        subcommands: [Schema.self]
    )

    /// `config schema`: the JSON Schema of the config file, from the definitions the reader uses.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema (draft-07) of the config file, for editors and validators.",
            discussion: """
                Made from the same key definitions the daemon reads its config with; the repository ships \
                it as schema/config.schema.json. A config file starting with \
                `# yaml-language-server: $schema=../schema/config.schema.json` is completed and checked as \
                you type in editors that use yaml-language-server.
                Example: artifactory-hooks config schema > schema/config.schema.json
                """
        )

        func run() {
            print(ConfigFileSchema.document.json, terminator: "")
        }
    }
}

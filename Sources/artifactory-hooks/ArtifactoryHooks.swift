import ArgumentParser

/// The `artifactory-hooks` command line.
@main
struct ArtifactoryHooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifactory-hooks",
        abstract: "Receive JFrog Artifactory webhooks, verify and store them durably.",
        discussion: """
            Run `artifactory-hooks serve --config FILE` as the daemon. The other commands read the same \
            config file to find the event store.
            """,
        version: Version.current,
        subcommands: [
            ServeCommand.self, StatusCommand.self, EventsCommand.self, JobsCommand.self, StoreCommand.self,
            RulesCommand.self, ConfigCommand.self, SubscriptionsCommand.self, DoctorCommand.self,
            CatchUpCommand.self, SendCommand.self,
        ]
    )
}

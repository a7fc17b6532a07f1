import ArgumentParser
import HooksDaemon
import Hummingbird
import Logging

/// `artifactory-hooks serve`: the daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook daemon until SIGTERM or SIGINT.",
        discussion: """
            Loads the config (every problem is reported with file:line:column, then exit 1), opens and
            migrates the event store, and listens on `listen` for POST /webhooks/{endpoint}.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let logger = bootstrapLogging(level: options.logLevel)
        let app = try await buildApplication(config: config, logger: logger)
        try await app.runService()
        logger.info("Stopped")
    }
}

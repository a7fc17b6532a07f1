import ArgumentParser
import Foundation
import HooksDaemon
import Hummingbird
import Logging
import Metrics
import Prometheus
import Rules
import YAMLDiagnostics

/// `artifactory-hooks serve`: the daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the webhook daemon until SIGTERM or SIGINT.",
        discussion: """
            Loads the config (every problem is reported with file:line:column, then exit 1), opens and \
            migrates the event store, and listens on `listen` for POST /webhooks/{endpoint}.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(
        help: ArgumentHelp(
            "Load the config (credentials and TLS pair included) and the rules as the daemon would, say what was found, and exit: 0 when they load. The store and the listen addresses are not touched."
        ))
    var check = false

    func run() async throws {
        // SIGHUP means "reload": until the rules reloader takes it, ignore it rather than die of it
        // (its default action), so a reload sent while the store opens or migrates is harmless.
        signal(SIGHUP, SIG_IGN)
        let config = try options.load(for: .daemon)
        if check {
            let rules = try loadRulesOrExit(config)
            print(
                "\(options.config): loads; \(config.endpoints.count) endpoint(s), \(rules.enabledCount) rule(s) enabled"
                    + (rules.warnings.isEmpty ? "" : ", \(rules.warnings.count) rule warning(s)"))
            for warning in rules.warnings { print(warning.description) }
            return
        }
        let logger = bootstrapLogging(level: options.logLevel, format: options.effectiveLogFormat)
        // Every connection holds a descriptor: take all the hard limit allows before listening.
        if let descriptors = DescriptorLimit.raiseSoftToHard() {
            logger.info(
                "Descriptor limit",
                metadata: [
                    "descriptors.soft": .stringConvertible(descriptors.soft),
                    "descriptors.hard": .stringConvertible(descriptors.hard),
                ])
        }
        // One registry for the process: the daemon's metrics and any library's go to /metrics.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(config: config, logger: logger, metrics: registry)
        } catch let error as RulesError {
            FileHandle.standardError.write(
                Data(
                    (error.description
                        + "\nThe daemon did not start; fix the rules (artifactory-hooks rules check) and start it again.\n")
                        .utf8))
            throw ExitCode(1)
        }
        try await app.runService()
        logger.info("Stopped")
    }
}

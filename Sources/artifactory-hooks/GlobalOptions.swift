import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Rules
import Storage
import YAMLDiagnostics

/// Options every command that reads the config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "FILE"))
    var config: String = DaemonConfig.defaultPath

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log format: text, json (one object per line), journal (syslog priority prefixes). Default: journal when standard error is the systemd journal ($JOURNAL_STREAM), text otherwise.",
            valueName: "FORMAT"))
    var logFormat: String?

    func validate() throws {
        if let logFormat, LogFormat(rawValue: logFormat) == nil {
            throw ValidationError(
                "--log-format \(logFormat): expected one of \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }

    /// The format asked for, or the one that suits where standard error goes.
    var effectiveLogFormat: LogFormat {
        logFormat.flatMap(LogFormat.init(rawValue:)) ?? .automatic(environment: ProcessInfo.processInfo.environment)
    }

    /// Loads the config or prints every problem and exits 1; `use` `.commands` (the default) for
    /// every command but `serve` (see ``DaemonConfig/load(path:environment:for:)``).
    func load(for use: DaemonConfig.Use = .commands) throws -> DaemonConfig {
        do {
            return try DaemonConfig.load(path: config, for: use)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            FileHandle.standardError.write(
                Data(
                    "\(error.diagnostics.count) problem(s) in \(config); nothing was done. Fix them and run it again.\n"
                        .utf8))
            throw ExitCode(1)
        }
    }
}

extension ConfigOptions {
    /// Runs `body` with the store named in the config, without logging (for the read and admin
    /// commands): never creating or migrating it (``HooksDaemon/withExistingStore(_:logger:_:)``).
    func withExistingStore<Result: Sendable>(_ body: (any EventStore) async throws -> Result) async throws -> Result {
        try await HooksDaemon.withExistingStore(load().store, logger: quietLogger, body)
    }
}

/// The logger of the commands other than `serve`: they print what they have to say.
let quietLogger = Logger(label: "cli", factory: { _ in SwiftLogNoOpLogHandler() })

/// The configured rules, loaded without logging; every problem is printed and the command exits 1.
func loadRulesOrExit(_ config: DaemonConfig) throws -> RuleSet {
    do {
        return try loadRules(config, logger: quietLogger)
    } catch {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Bootstraps logging once for the process: to standard error, in `format`, at `level`.
func bootstrapLogging(level: Logger.Level, format: LogFormat) -> Logger {
    LoggingSystem.bootstrap(format.handlerFactory(level: level))
    var logger = Logger(label: "artifactory-hooks")
    logger.logLevel = level
    return logger
}

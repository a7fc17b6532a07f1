import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Storage
import YAMLDiagnostics

/// Options every command that reads the config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", valueName: "FILE"))
    var config: String = DaemonConfig.defaultPath

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Loads the config or prints every problem and exits 1.
    func load() throws -> DaemonConfig {
        do {
            return try DaemonConfig.load(path: config)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            FileHandle.standardError.write(
                Data("\(error.diagnostics.count) problem(s) in \(config); the daemon did not start.\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension ConfigOptions {
    /// Opens the store named in the config, without logging (for the read and admin commands).
    func openStore() async throws -> any EventStore {
        try await HooksDaemon.openStore(
            load().store, logger: Logger(label: "cli", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Bootstraps logging once for the process: to standard error, at `level`.
func bootstrapLogging(level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "artifactory-hooks")
    logger.logLevel = level
    return logger
}

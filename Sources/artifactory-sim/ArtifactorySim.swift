import ArgumentParser
import ArtifactorySimulator
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `artifactory-sim`: runs the Artifactory simulator until SIGTERM or SIGINT.
@main
struct ArtifactorySim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifactory-sim",
        abstract: "A fake Artifactory REST API for demos and tests (see docs/simulator.md).")

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8081

    @Option(name: .customLong("token"), help: "An access token to accept (repeatable). No token and no user: anyone.")
    var tokens: [String] = []

    @Option(name: .customLong("user"), help: "USER:PASSWORD accepted as Basic (repeatable).")
    var users: [String] = []

    @Option(name: .customLong("repo"), help: "A local repository to create (repeatable).")
    var repositories: [String] = []

    @Option(name: .customLong("file"), help: "REPO/PATH of an empty file to create (repeatable).")
    var files: [String] = []

    @Option(
        name: .customLong("build"),
        help: "NAME:NUMBER:REPO/PATH[,REPO/PATH…][:PROJECT]: a build run and its artifact files (repeatable).")
    var builds: [String] = []

    @Option(help: "The most results one AQL answer holds; more are trimmed with a notification. Default: no limit.")
    var aqlResultLimit: Int?

    @Option(help: "The context path the API sits under.")
    var contextPath = "artifactory"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "artifactory-sim")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var accounts: [String: String] = [:]
        for entry in users {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--user takes USER:PASSWORD, not \"\(entry)\"") }
            accounts[String(parts[0])] = String(parts[1])
        }
        let simulator = ArtifactorySimulator(
            configuration: .init(
                host: host, port: port, contextPath: contextPath, tokens: tokens, users: accounts,
                repositories: repositories, aqlResultLimit: aqlResultLimit))
        for file in files {
            let parts = file.split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--file takes REPO/PATH, not \"\(file)\"") }
            simulator.state.addRepository(String(parts[0]))
            try simulator.state.addFile(repo: String(parts[0]), path: String(parts[1]))
        }
        for build in builds {
            do {
                try BuildSeed(parsing: build).record(in: simulator.state)
            } catch {
                throw ValidationError(error.message)
            }
        }
        let services = try simulator.makeServices(logger: logger) { url in
            // Unbuffered, so a script reading the line sees it at once.
            FileHandle.standardOutput.write(Data("artifactory-sim listening on \(url.absoluteString)\n".utf8))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

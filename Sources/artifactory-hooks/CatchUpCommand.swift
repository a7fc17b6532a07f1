import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Storage

/// `artifactory-hooks catch-up`: read the subscriptions' failed deliveries back from Artifactory
/// once, as the daemon does every `catch_up.interval`.
struct CatchUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catch-up",
        abstract: "Store the configured subscriptions' failed deliveries from Artifactory's troubleshooting store.",
        discussion: """
            Reads GET /event/api/v1/troubleshooting for each subscription from its checkpoint, and \
            stores every failed delivery's body through its endpoint (dedup, rules, loop guard), \
            recorded as arrival catch-up. The daemon's worker runs the jobs planned. Works while the \
            daemon runs; on PostgreSQL one daemon or command reads a subscription at a time. Exit \
            status: 0 when every subscription was read, 1 otherwise.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "Read from this time instead of the checkpoint: an ISO 8601 time or a duration ago (2h, 3d).",
            valueName: "TIME"))
    var since: String?

    @Flag(help: "Read and count, store nothing (not the checkpoint either).")
    var dryRun = false

    func run() async throws {
        let config = try options.load(for: .daemon)
        var start: Date?
        if let since {
            guard let parsed = Self.time(since, now: Date()) else {
                printError(
                    "--since: expected an ISO 8601 time (2026-12-07T05:00:00Z) or a duration (2h), found \(since)")
                throw ExitCode(1)
            }
            start = parsed
        }
        let reports: [CatchUpReport]
        do {
            reports = try await HooksDaemon.withExistingStore(config.store, logger: quietLogger) { store in
                try await CatchUp.runOnce(
                    config: config, store: store, since: start, dryRun: dryRun, logger: quietLogger)
            }
        } catch {
            printError("catch-up: \(error)")
            throw ExitCode(1)
        }
        for report in reports { print((dryRun ? "dry run: " : "") + report.summary) }
        if reports.contains(where: { $0.state != .done }) { throw ExitCode(1) }
    }

    /// An ISO 8601 time, or `now` less a duration.
    static func time(_ text: String, now: Date) -> Date? {
        if let duration = DurationText.parse(text) { return now.addingTimeInterval(-duration.timeInterval) }
        return try? Date(text, strategy: .iso8601)
    }
}

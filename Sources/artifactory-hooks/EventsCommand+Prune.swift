import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Storage

extension EventsCommand {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete settled events older than a cutoff, as the daemon's retention does.",
            discussion: """
                Only settled events go: planned, with every job done or cancelled. Dead letters, events \
                with jobs still to run, deferred events and events inside ingest.dedup_window stay. Without \
                --older-than the config's store.retention applies. Safe while the daemon runs (small \
                batches, and space handed back 8 MiB at a time).
                Examples: artifactory-hooks events prune --dry-run
                          artifactory-hooks events prune --older-than 7d
                """
        )

        @OptionGroup var options: ConfigOptions

        @Option(
            help: ArgumentHelp(
                "Delete events received before this: a duration back from now (30d, 12h) or an ISO 8601 time. Default: store.retention.",
                valueName: "WHEN"))
        var olderThan: String?

        @Flag(help: "Count what would be deleted; delete nothing.")
        var dryRun = false

        func validate() throws {
            if let olderThan, SinceParser.parse(olderThan) == nil {
                throw ValidationError(
                    "--older-than takes a duration such as 30d or 12h (up to 36500d), or an ISO 8601 time")
            }
        }

        func run() async throws {
            let config = try options.load()
            var cutoff: Date
            if let olderThan, let parsed = SinceParser.parse(olderThan) {
                cutoff = parsed
            } else if let maxAge = config.retention.maxAge {
                cutoff = Date().addingTimeInterval(-Double(maxAge.components.seconds))
            } else {
                FileHandle.standardError.write(
                    Data("store.retention is off in \(options.config); pass --older-than (for example 30d).\n".utf8))
                throw ExitCode(1)
            }
            // An event pruned inside the dedup window takes its fingerprint along: Artifactory's
            // redelivery of it would be stored and planned again.
            let newest = Date().addingTimeInterval(-Double(config.ingest.dedupWindow.components.seconds))
            if cutoff > newest {
                cutoff = newest
                FileHandle.standardError.write(
                    Data(
                        ("Keeping the events of the last \(DurationText.format(config.ingest.dedupWindow)) "
                            + "(ingest.dedup_window), so that a redelivery of them is still recognised.\n").utf8))
            }
            let count = try await withExistingStore(config.store, logger: quietLogger) { [cutoff] store in
                if dryRun { return try await store.prunableEvents(receivedBefore: cutoff) }
                return try await RetentionService(
                    store: store, retention: config.retention, metrics: .none, logger: quietLogger
                ).prunePass(receivedBefore: cutoff)
            }
            let what = "\(count.events) event(s), \(count.jobs) job(s), \(count.attempts) attempt(s)"
            print(
                dryRun
                    ? "Dry run: would delete \(what) received before \(EventTable.timestamp(cutoff))."
                    : "Deleted \(what) received before \(EventTable.timestamp(cutoff)).")
        }
    }
}

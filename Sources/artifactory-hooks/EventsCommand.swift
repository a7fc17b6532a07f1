import ArgumentParser
import ArtifactoryEvents
import Foundation
import HooksDaemon
import Logging
import Rules
import Storage

/// `artifactory-hooks events …`: read the event store.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List, show, replay and prune stored events.",
        subcommands: [List.self, Show.self, Replay.self, Prune.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored events, newest first.",
            discussion:
                "Example: artifactory-hooks events list --kind artifact.deployed --repo libs-release-local --since 1h"
        )

        @OptionGroup var options: ConfigOptions

        @Option(help: ArgumentHelp("Only this kind: DOMAIN.EVENT_TYPE or DOMAIN.*", valueName: "KIND"))
        var kind: String?

        @Option(help: "Only events of this repository.")
        var repo: String?

        @Option(help: ArgumentHelp("Only items whose path starts with this.", valueName: "PREFIX"))
        var path: String?

        @Option(help: "Only events of this build name.")
        var build: String?

        @Option(
            help: ArgumentHelp(
                "Only events received since: a duration (30m, 1h, 7d) or an ISO 8601 time.", valueName: "WHEN"))
        var since: String?

        @Option(help: "At most this many events.")
        var limit: Int = 100

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            if let since, SinceParser.parse(since) == nil {
                throw ValidationError(
                    "--since takes a duration such as 30m, 1h, 7d (up to 36500d) or a time such as 2026-11-29T10:00:00Z"
                )
            }
            if let kind { try EventsCommand.checkKind(kind) }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let query = EventQuery(
                kind: kind, repo: repo, pathPrefix: path, buildName: build,
                since: since.flatMap { SinceParser.parse($0) },
                limit: limit)
            let events = try await options.withExistingStore { try await $0.events(matching: query) }
            print(json ? try EventTable.json(events) : EventTable.text(events), terminator: "")
            if events.count == limit, !json {
                // On standard error, so that what a script reads stays the table.
                FileHandle.standardError.write(Data("(the newest \(limit) shown; --limit N shows more)\n".utf8))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one event with its body: every digit as received, indented for reading.",
            discussion: """
                A body nested deeper than 32 levels, with strings over 4096 bytes, lists over 1000 items
                or more than 4 MiB of text is folded, and the output says so; --raw writes the body
                exactly as received, byte for byte, and nothing else (for a file or jq, not a terminal).
                """)

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The event id (from `events list`).")
        var id: Int64

        @Flag(help: "Write only the body, exactly as received, to standard output.")
        var raw = false

        func run() async throws {
            let (event, original, jobs, failures) = try await options.withExistingStore { store in
                guard let event = try await store.event(id: id) else {
                    FileHandle.standardError.write(Data("No event \(id) in the store.\n".utf8))
                    throw ExitCode(1)
                }
                // A duplicate stores no body; its original's is the same.
                var original: StoredEvent?
                if let originalID = event.duplicateOf, event.body.isEmpty {
                    original = try await store.event(id: originalID)
                }
                return (
                    event, original, try await store.jobs(forEvent: id), try await store.planFailures(forEvent: id)
                )
            }
            if raw {
                guard event.body.isEmpty, event.duplicateOf != nil else {
                    FileHandle.standardOutput.write(Data(event.body))
                    return
                }
                guard let original else {
                    FileHandle.standardError.write(
                        Data("Event \(id) is a duplicate whose original is no longer in the store: no body.\n".utf8))
                    throw ExitCode(1)
                }
                FileHandle.standardOutput.write(Data(original.body))
                return
            }
            print(EventTable.detail(event, original: original), terminator: "")
            print(EventTable.plan(jobs: jobs, failures: failures), terminator: "")
        }
    }
}

extension EventsCommand {
    /// Refuses a `--kind` that is not `DOMAIN.EVENT_TYPE` or `DOMAIN.*`.
    static func checkKind(_ kind: String) throws {
        guard kind.split(separator: ".", maxSplits: 1).count == 2 else {
            throw ValidationError("--kind takes DOMAIN.EVENT_TYPE or DOMAIN.* (for example artifact.deployed)")
        }
    }
}

extension EventsCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan stored events again with the current rules; the new jobs are marked as replays.",
            discussion: """
                Duplicates are skipped, and so are events their endpoint's current accept: does not
                take. The daemon runs the new jobs like any other.
                Examples: artifactory-hooks events replay 17 18
                          artifactory-hooks events replay --since 2h --kind artifact.deployed --dry-run
                """
        )

        @OptionGroup var options: ConfigOptions

        @Argument(help: "Event ids to replay.")
        var ids: [Int64] = []

        @Option(
            help: ArgumentHelp(
                "Replay every event received since: a duration (2h) or an ISO 8601 time.", valueName: "WHEN"))
        var since: String?

        @Option(help: ArgumentHelp("With --since: only this kind (DOMAIN.EVENT_TYPE or DOMAIN.*).", valueName: "KIND"))
        var kind: String?

        @Flag(help: "Show what would be planned; store nothing.")
        var dryRun = false

        func validate() throws {
            guard ids.isEmpty != (since == nil) else {
                throw ValidationError("give event ids or --since, not both and not neither")
            }
            if let kind {
                guard since != nil else { throw ValidationError("--kind works with --since, not with event ids") }
                try EventsCommand.checkKind(kind)
            }
            if let since, SinceParser.parse(since) == nil {
                throw ValidationError("--since takes a duration such as 2h (up to 36500d) or an ISO 8601 time")
            }
        }

        func run() async throws {
            let config = try options.load()
            let rules = try loadRulesOrExit(config)
            let total = try await withExistingStore(config.store, logger: quietLogger) { store in
                try await replay(in: store, config: config, rules: rules)
            }
            print(
                dryRun
                    ? "Dry run: \(total.jobs) job(s) would be created."
                    : "Created \(total.jobs) job(s) for \(total.events) event(s).")
        }

        /// Plans the chosen events again and, unless `--dry-run`, adds their jobs; prints a line per
        /// event.
        private func replay(in store: any EventStore, config: DaemonConfig, rules: RuleSet) async throws -> (
            jobs: Int, events: Int
        ) {
            var events: [StoredEvent] = []
            if let since {
                events = try await store.events(
                    matching: EventQuery(kind: kind, since: SinceParser.parse(since), limit: Int.max)
                ).reversed()
            } else {
                for id in ids {
                    guard let event = try await store.event(id: id) else {
                        FileHandle.standardError.write(Data("No event \(id) in the store.\n".utf8))
                        throw ExitCode(1)
                    }
                    events.append(event)
                }
            }
            var total = 0
            for stored in events {
                guard stored.duplicateOf == nil else {
                    print("event \(stored.id): skipped (duplicate of \(stored.duplicateOf!))")
                    continue
                }
                guard let event = try? WebhookEvent(body: stored.body) else {
                    print("event \(stored.id): skipped (body does not decode)")
                    continue
                }
                // The endpoint's accept: as configured now: an event it ignored at ingest is
                // planned once the filter takes it.
                let endpoint = config.endpoints.first { $0.name == stored.endpoint }
                if let reason = endpoint?.accept?.rejection(of: event) {
                    print(
                        "event \(stored.id): skipped (its endpoint's accept: does not take it: "
                            + ControlEscaping.escaped(reason) + ")")
                    continue
                }
                // The loop guard's finding stands: an event the daemon caused is planned as at ingest.
                let plan = rules.plan(
                    event,
                    context: PlanContext(
                        eventID: stored.id, now: Date(), selfCaused: stored.selfCaused, hop: stored.hop,
                        hopLimit: config.worker.maxHops, defaultProject: config.artifactory?.project,
                        defaultMode: config.rulesMode))
                var storePlan = EventPlan(plan)
                if !dryRun {
                    // A replay is a new planning: its throttle claims are decided now, like an
                    // arriving event's.
                    storePlan = try await store.commitPlan(storePlan, toEvent: stored.id, origin: .replay)
                }
                total += storePlan.jobs.count
                let matched =
                    plan.matchedRules.isEmpty
                    ? "no rule matched" : "rules: " + plan.matchedRules.joined(separator: ", ")
                let failed = plan.failures.isEmpty ? "" : ", \(plan.failures.count) action(s) could not be planned"
                let shadow = storePlan.jobs.count - storePlan.liveJobCount
                let recorded = shadow == 0 ? "" : ", \(shadow) in shadow mode (recorded, never sent)"
                var throttled =
                    storePlan.throttled.isEmpty
                    ? "" : ", \(storePlan.throttled.count) throttled (once_within: window open)"
                // A dry run claims no window: the store decides only when the jobs are added.
                let claims = storePlan.jobs.filter { $0.throttle != nil }.count
                if dryRun, claims > 0 { throttled += ", \(claims) subject to once_within (decided on a real replay)" }
                print(
                    "event \(stored.id): \(storePlan.jobs.count) job(s)\(recorded)\(throttled)\(failed) (\(matched))")
            }
            return (total, events.count)
        }
    }
}

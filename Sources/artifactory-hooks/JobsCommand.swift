import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Storage

/// `artifactory-hooks jobs …`: inspect and steer the planned Artifactory calls.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, show, retry and cancel jobs (the Artifactory calls rules planned).",
        subcommands: [List.self, Show.self, Retry.self, Cancel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs, newest first.",
            discussion: "Example: artifactory-hooks jobs list --state dead")

        @OptionGroup var options: ConfigOptions

        @Option(
            help: "Only jobs in this state: pending, running, failed, done, dead, cancelled, shadow or skipped.")
        var state: String?

        @Option(help: "Only the jobs of this event.")
        var event: Int64?

        @Option(help: "At most this many jobs.")
        var limit: Int = 100

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if let state, StoredJob.State(rawValue: state) == nil {
                throw ValidationError(
                    "--state takes \(StoredJob.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let query = JobQuery(state: state.flatMap(StoredJob.State.init(rawValue:)), eventID: event, limit: limit)
            let jobs = try await options.withExistingStore { try await $0.jobs(matching: query) }
            print(json ? try JobTable.json(jobs) : JobTable.text(jobs), terminator: "")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job with every attempt.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The job id.")
        var id: Int64

        func run() async throws {
            let (job, attempts) = try await options.withExistingStore { store in
                guard let job = try await store.job(id: id) else {
                    FileHandle.standardError.write(Data("No job \(id) in the store.\n".utf8))
                    throw ExitCode(1)
                }
                return (job, try await store.attempts(forJob: id))
            }
            print(JobTable.detail(job, attempts: attempts), terminator: "")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run dead (or failing) jobs again now.",
            discussion: "Examples: artifactory-hooks jobs retry 42    artifactory-hooks jobs retry --dead")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "Job ids to retry.")
        var ids: [Int64] = []

        @Flag(help: "Retry every dead job.")
        var dead = false

        func validate() throws {
            guard ids.isEmpty == dead else { throw ValidationError("give job ids or --dead, not both and not neither") }
        }

        func run() async throws {
            let (count, shadow) = try await options.withExistingStore { store in
                // A shadow job was recorded so that it would never be sent: it is never retried,
                // also once its rule is live.
                var shadow: [Int64] = []
                for id in ids {
                    if try await store.job(id: id)?.state == .shadow { shadow.append(id) }
                }
                let retried = ids.filter { !shadow.contains($0) }
                if !dead, retried.isEmpty { return (0, shadow) }
                return (try await store.retryJobs(ids: dead ? nil : retried, now: Date()), shadow)
            }
            if !shadow.isEmpty {
                let list = shadow.map(String.init).joined(separator: ", ")
                FileHandle.standardError.write(
                    Data(
                        ("Refused: job(s) \(list) were recorded in shadow mode and are never sent. To send such "
                            + "calls, set the rule live; it acts on events from then on (events replay ID plans an "
                            + "event again).\n").utf8))
            }
            print("\(count) job(s) will run again; a running daemon picks them up within its next check.")
            if !dead, count < ids.count {
                if count + shadow.count < ids.count {
                    print("Some ids were not dead or failed (only those can be retried).")
                }
                throw ExitCode(1)
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job that has not finished.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The job id.")
        var id: Int64

        func run() async throws {
            let (cancelled, state) = try await options.withExistingStore { store in
                let cancelled = try await store.cancelJob(id: id, now: Date())
                return (cancelled, cancelled ? nil : try await store.job(id: id)?.state)
            }
            guard cancelled else {
                let reason =
                    switch state {
                    case .running:
                        "is running: its call may already have reached Artifactory. Wait until it finishes "
                            + "(jobs show \(id)); if it is to be retried, cancel it then."
                    case .shadow: "was recorded in shadow mode: it is never sent, so there is nothing to cancel."
                    default: "does not exist or has already finished."
                    }
                FileHandle.standardError.write(Data("Job \(id) \(reason)\n".utf8))
                throw ExitCode(1)
            }
            print("Job \(id) cancelled.")
        }
    }
}

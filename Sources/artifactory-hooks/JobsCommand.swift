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

        @Option(help: "Only jobs in this state: pending, running, failed, done, dead or cancelled.")
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
            let count = try await options.withExistingStore {
                try await $0.retryJobs(ids: dead ? nil : ids, now: Date())
            }
            print("\(count) job(s) will run again; a running daemon picks them up within its next check.")
            if !dead, count < ids.count {
                print("Some ids were not dead or failed (only those can be retried).")
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
                    state == .running
                    ? "is running: its call may already have reached Artifactory. Wait until it finishes "
                        + "(jobs show \(id)); if it is to be retried, cancel it then."
                    : "does not exist or has already finished."
                FileHandle.standardError.write(Data("Job \(id) \(reason)\n".utf8))
                throw ExitCode(1)
            }
            print("Job \(id) cancelled.")
        }
    }
}

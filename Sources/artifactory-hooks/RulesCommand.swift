import ArgumentParser
import ArtifactoryEvents
import Foundation
import HooksDaemon
import Rules
import YAMLDiagnostics

/// `artifactory-hooks rules …`: lint rule files and try them on a sample event.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files and test them against an event.",
        subcommands: [Check.self, Test.self, Schema.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem in every rule file as FILE:LINE:COLUMN: error: MESSAGE.",
            discussion: """
                Exit status 0 when there is no error (warnings do not fail), 1 otherwise.
                Without DIR: the rules directory of --config when given, else rules/.
                Example: artifactory-hooks rules check rules/
                """
        )

        @Option(help: ArgumentHelp("Take the rules directory from this config file.", valueName: "FILE"))
        var config: String?

        @Argument(help: ArgumentHelp("The rules directory.", valueName: "DIR"))
        var directory: String?

        func run() throws {
            let directory = try rulesDirectory(explicit: directory, config: config)
            var check: RuleCheck
            do {
                check = try RuleCheck.run(directory: directory)
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            // Rule files do not know the targets; with --config an unknown one is an error.
            if let config { check = check.checkingTargets(known: try loadConfig(config).targets.map(\.name)) }
            for diagnostic in check.diagnostics { print(diagnostic) }
            print("\(directory): \(check.summary)")
            if check.errorCount > 0 { throw ExitCode(1) }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which rules match an event, why, and the exact requests they would send.",
            discussion: """
                Nothing is sent. Exit status 1 when the rules or the event do not load, or an action \
                cannot be planned.
                Example: artifactory-hooks rules test --rules rules/ fixtures/events/artifact/deployed.json --explain
                """
        )

        @Option(help: ArgumentHelp("The rules directory (default: from --config, else rules/).", valueName: "DIR"))
        var rules: String?

        @Option(
            help: ArgumentHelp(
                "Take the rules directory, rules.mode and Artifactory URL from this config.", valueName: "FILE"))
        var config: String?

        @Option(
            help: ArgumentHelp(
                "Show URLs against this base (default: artifactory.url of --config, else "
                    + "https://artifactory.example.com/artifactory).", valueName: "URL"))
        var baseURL: String?

        @Flag(help: "For every rule that does not match, the first condition that failed and why.")
        var explain = false

        @Flag(
            help: """
                Run each for_each query read-only against artifactory.url of --config and list the \
                requests its children would send; look up each guard (require:) and say whether it holds.
                """)
        var resolve = false

        @Argument(help: ArgumentHelp("A webhook body (JSON), as Artifactory sends it.", valueName: "EVENT.json"))
        var event: String

        func run() async throws {
            // --resolve calls Artifactory: it reads the credential as the daemon does.
            let loaded = try config.map { try loadConfig($0, use: resolve ? .daemon : .commands) }
            let directory = try rulesDirectory(explicit: rules, config: nil, loaded: loaded)
            let ruleSet: RuleSet
            do {
                ruleSet = try RuleSet.load(directory: directory)
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            for warning in ruleSet.warnings { printError(warning.description) }
            guard let body = FileManager.default.contents(atPath: event) else {
                printError("cannot read \(event)")
                throw ExitCode(1)
            }
            let decoded: WebhookEvent
            do {
                decoded = try WebhookEvent(body: Array(body))
            } catch {
                printError("\(event): \(error.message)")
                throw ExitCode(1)
            }
            let context = PlanContext(
                eventID: 0, now: Date(), defaultProject: loaded?.artifactory?.project,
                defaultMode: loaded?.rulesMode ?? .live)
            let plan = ruleSet.plan(decoded, context: context)
            let base =
                baseURL ?? loaded?.artifactory?.url.absoluteString ?? "https://artifactory.example.com/artifactory"
            var report = PlanReport(
                event: decoded, plan: plan, explanations: ruleSet.explain(decoded, context: context), explain: explain,
                baseURL: base, platformURL: baseURL == nil ? loaded?.artifactory?.platformURL?.absoluteString : nil)
            if let loaded {
                let previews = TargetPreviews(loaded.targets)
                report.targetPreview = { previews.preview($0) }
            }
            print(report.text, terminator: "")
            if resolve {
                try await resolveGuards(plan, loaded: loaded)
                try await resolveExpansions(plan, loaded: loaded, baseURL: base)
            }
            if !plan.failures.isEmpty { throw ExitCode(1) }
        }
    }
}

/// The rules directory: the explicit one, else the config's `rules:`, else `rules`.
private func rulesDirectory(explicit: String?, config: String?, loaded: DaemonConfig? = nil) throws -> String {
    if let explicit { return explicit }
    if let loaded { return loaded.rulesDirectory ?? "rules" }
    if let config { return try loadConfig(config).rulesDirectory ?? "rules" }
    return "rules"
}

private func loadConfig(_ path: String, use: DaemonConfig.Use = .commands) throws -> DaemonConfig {
    do {
        return try DaemonConfig.load(path: path, for: use)
    } catch {
        printError(error.description)
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

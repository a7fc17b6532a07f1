import ArgumentParser
import Foundation
import HooksDaemon
import Logging
import Rules
import Storage
import YAMLDiagnostics

/// `artifactory-hooks status`: a one-screen summary of the store and the rules.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Summarise the store: events of the last hour, jobs, dead letters, deferred events, rules, size.",
        discussion: "Reads the store named in the config; works while the daemon runs."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let config = try options.load()
        var rulesLoaded: Int?
        var rulesError: String?
        if config.rulesDirectory != nil {
            do {
                rulesLoaded = try loadRules(config, logger: quietLogger).enabledCount
            } catch {
                // Warnings do not stop a rule set from loading: count and show the errors.
                let errors = error.diagnostics.filter { $0.severity == .error }
                rulesError =
                    "\(max(errors.count, 1)) error(s), first: " + (errors.first?.description ?? error.description)
            }
        }
        let now = Date()
        let status = try await withExistingStore(config.store, logger: quietLogger) { store in
            try await store.status(since: now.addingTimeInterval(-3600))
        }
        var storeBytes: Int64?
        if case .sqlite(let sqlite) = config.store { storeBytes = StatusReport.sqliteBytes(path: sqlite.path) }
        let report = StatusReport(
            store: status, now: now, period: .seconds(3600), rulesLoaded: rulesLoaded, rulesError: rulesError,
            storeBytes: storeBytes)
        print(json ? try report.json() : report.text, terminator: "")
    }
}

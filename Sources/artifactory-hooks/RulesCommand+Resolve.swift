import ArgumentParser
import HooksDaemon
import Rules

extension RulesCommand.Test {
    /// `--resolve`: each expansion's query run read-only against the configured Artifactory, and
    /// the child requests it would send.
    func resolveExpansions(_ plan: Plan, loaded: DaemonConfig?, baseURL: String) async throws {
        guard plan.actions.contains(where: { $0.expansion != nil }) else { return }
        guard let loaded, let artifactory = loaded.artifactory else {
            printError("--resolve needs --config FILE with an artifactory: section")
            throw ExitCode(1)
        }
        let report = try await FanOutPreview.report(
            plan, artifactory: artifactory, defaultMaxItems: loaded.worker.maxFanoutItems, baseURL: baseURL)
        print(report.text, terminator: "")
        if report.failed { throw ExitCode(1) }
    }

    /// `--resolve`: each guarded action's guard looked up read-only, and whether it holds now.
    func resolveGuards(_ plan: Plan, loaded: DaemonConfig?) async throws {
        guard plan.actions.contains(where: { $0.requirement != nil }) else { return }
        guard let loaded, let artifactory = loaded.artifactory else {
            printError("--resolve needs --config FILE with an artifactory: section")
            throw ExitCode(1)
        }
        let report = try await GuardPreview.report(plan, artifactory: artifactory)
        print(report.text, terminator: "")
        if report.failed { throw ExitCode(1) }
    }
}

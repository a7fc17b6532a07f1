public import ArtifactoryAPI
import ArtifactoryEvents
import Logging
public import Rules

/// `rules test --resolve`: asks Artifactory, read-only, what each guarded action's guard names
/// (the same lookups as the worker's, ``GuardLookup``) and says whether the guard holds now.
public enum GuardPreview {
    /// Whether `requirement` holds now: `nil` when it does, else the reason the job would be skipped.
    public static func answer(_ requirement: ActionGuard, client: ArtifactoryClient)
        async throws(ArtifactoryAPIError) -> String?
    {
        requirement.failure(given: try await GuardLookup.facts(for: requirement, with: client))
    }

    /// The `guards` section of `rules test --resolve` for `plan`'s guarded actions; `failed` when
    /// a lookup failed. Empty text when no action is guarded.
    public static func report(_ plan: Plan, artifactory: DaemonConfig.Artifactory) async throws
        -> (text: String, failed: Bool)
    {
        let guarded = plan.actions.filter { $0.requirement != nil }
        guard !guarded.isEmpty else { return ("", false) }
        let client = try ArtifactoryClient(
            configuration: artifactory.clientConfiguration, logger: Logger(label: "artifactory-hooks.rules-test"))
        var lines = ["guards (looked up read-only; nothing else sent):"]
        var failed = false
        for action in guarded {
            guard let requirement = action.requirement else { continue }
            let title = "\(action.rule) do[\(action.actionIndex)]"
            do {
                if let reason = try await answer(requirement, client: client) {
                    lines.append(
                        "  \(title): does not hold now; the job would be skipped: " + ControlEscaping.escaped(reason))
                } else {
                    lines.append("  \(title): holds now; the call would be sent")
                }
            } catch {
                failed = true
                lines.append("  \(title): the lookup failed: \(error.description)")
            }
        }
        try? await client.shutdown()
        return (lines.joined(separator: "\n") + "\n", failed)
    }
}

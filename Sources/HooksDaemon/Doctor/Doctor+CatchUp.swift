import ArtifactoryAPI
import ArtifactoryRequests
import Foundation

extension Doctor {
    /// Whether catch-up can read Artifactory's webhook troubleshooting store with this token: one
    /// bounded read (the last minute, one record at most) of the first subscription's records.
    /// A store that is missing or refused fails with what to enable; catch-up switched off
    /// (`catch_up.interval: 0`) only warns then, as the `catch-up` command still needs it.
    static func checkCatchUp(
        _ config: DaemonConfig, client: ArtifactoryClient, now: Date, report: (DoctorCheck) -> Void
    )
        async
    {
        guard let first = config.subscriptions.webhooks.first else { return }
        let end = Int64(now.timeIntervalSince1970 * 1000)
        let request = ArtifactoryRequest.troubleshooting(
            subscription: first.key, start: end - 60_000, end: end, count: 1)
        let enabled = config.catchUp.interval != nil
        do {
            _ = try await client.stream(request) { _ throws(ArtifactoryAPIError) in }
            report(
                .ok(
                    "catch-up",
                    "the webhook troubleshooting store is readable"
                        + (enabled ? "" : " (catch_up.interval is 0: only the catch-up command reads it)")))
        } catch {
            let what = "cannot read Artifactory's webhook troubleshooting store, so missed deliveries are not recovered"
            let todo =
                CatchUpRefusal.explain(error)?.message
                ?? "reading it failed (\(error)); try again, then see the message"
            if enabled {
                report(.fail("catch-up", what, todo))
            } else {
                report(
                    .warn(
                        "catch-up",
                        "catch_up.interval is 0, and the catch-up command cannot read Artifactory's webhook "
                            + "troubleshooting store — \(todo)"))
            }
        }
    }
}

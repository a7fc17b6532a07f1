import ArtifactoryAPI

/// Why Artifactory's webhook troubleshooting store cannot be read, in words that say what to
/// enable: the one warning a catch-up run logs for it.
enum CatchUpRefusal {
    /// The warning for `error`, and the `catch_up_failures_total` reason; `nil` for an error that
    /// is not about the store being there or readable (a timeout, a 500).
    static func explain(_ error: ArtifactoryAPIError) -> (message: String, reason: String)? {
        switch error.status {
        case 404, 501:
            return (
                "Artifactory has no webhook troubleshooting store (GET /event/api/v1/troubleshooting answered "
                    + "\(error.status ?? 0)): on a self-hosted JFrog Platform, enable Webhooks Troubleshooting "
                    + "with Redis; failed deliveries cannot be caught up until then",
                "unavailable"
            )
        case 403:
            return (
                "The Artifactory token may not read webhook troubleshooting data (403): give it the Manage "
                    + "Webhooks permission (Artifactory 7.137+), a system:webhooks scope, or an admin token",
                "forbidden"
            )
        case 401:
            return ("Artifactory refused the token (401): check artifactory.token_file", "unauthorized")
        default:
            return nil
        }
    }
}

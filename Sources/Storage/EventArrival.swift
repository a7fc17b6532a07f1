/// How an event reached the daemon: stored in the `events.arrival` column.
public enum EventArrival: String, Sendable, Hashable, CaseIterable {
    /// Artifactory delivered it to a webhook endpoint.
    case delivery
    /// Catch-up read it from Artifactory's webhook troubleshooting store: a delivery that failed.
    case catchUp = "catch-up"
}

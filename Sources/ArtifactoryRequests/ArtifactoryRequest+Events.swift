/// The JFrog Platform's Event API, where webhook subscriptions live: on the platform URL
/// (``ArtifactoryRequest/Base/platform``), not under `/artifactory`. Every call needs an admin
/// (or, for some domains, a project admin).
extension ArtifactoryRequest {
    /// The Event API's subscriptions collection, relative to the platform URL.
    static let subscriptionsPath = "event/api/v1/subscriptions"

    /// Get the List of all Webhook Subscriptions: `GET event/api/v1/subscriptions`, answered with
    /// a JSON array of subscriptions.
    public static let subscriptions = ArtifactoryRequest(method: .get, pathAndQuery: subscriptionsPath, base: .platform)

    /// Get a Webhook Subscription by Key: `GET event/api/v1/subscriptions/{key}` (404 when there
    /// is none).
    public static func subscription(key: PathSegment) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .get, pathAndQuery: subscriptionsPath + "/" + key.encoded, base: .platform)
    }

    /// Create a New Webhook Subscription: `POST event/api/v1/subscriptions` with `body`, the
    /// subscription as a JSON object (`key`, `description`, `enabled`, `event_filter`, `handlers`).
    public static func createSubscription(body: String) -> ArtifactoryRequest {
        ArtifactoryRequest(
            method: .post, pathAndQuery: subscriptionsPath, body: body, contentType: "application/json",
            base: .platform)
    }

    /// Update Webhook Subscription by Key: `PUT event/api/v1/subscriptions/{key}` with `body`, the
    /// subscription as a JSON object; answered 204.
    public static func updateSubscription(key: PathSegment, body: String) -> ArtifactoryRequest {
        ArtifactoryRequest(
            method: .put, pathAndQuery: subscriptionsPath + "/" + key.encoded, body: body,
            contentType: "application/json", base: .platform)
    }

    /// Delete a webhook subscription: `DELETE event/api/v1/subscriptions/{key}`.
    public static func deleteSubscription(key: PathSegment) -> ArtifactoryRequest {
        ArtifactoryRequest(method: .delete, pathAndQuery: subscriptionsPath + "/" + key.encoded, base: .platform)
    }

    /// Test Webhook Subscription: `POST event/api/v1/subscriptions/test` with `body`, a whole
    /// subscription; Artifactory sends its sample event for it and answers
    /// `{"result":"success"|…,"message":…}`.
    public static func testSubscription(body: String) -> ArtifactoryRequest {
        ArtifactoryRequest(
            method: .post, pathAndQuery: subscriptionsPath + "/test", body: body, contentType: "application/json",
            base: .platform)
    }
}

import ArtifactoryEvents
import Foundation

/// The JSON body of a subscription as the Event API takes it (Create a New Webhook Subscription,
/// Update Webhook Subscription by Key): `key`, `description`, `enabled`, `event_filter` (`domain`,
/// `event_types`, `criteria`) and one `webhook` handler (`url`, `secret`,
/// `use_secret_for_signing`, `proxy`).
///
/// The body holds the secret: it goes to Artifactory and nowhere else (never printed or logged).
enum SubscriptionBody {
    /// The body for `subscription` with `secret`, keys sorted; with `testID`, the handler also
    /// sends the `X-Artifactory-Hooks-Test` header that marks `subscriptions test`'s event.
    static func json(_ subscription: DaemonConfig.Subscription, secret: String, testID: String? = nil) -> String {
        var criteria: [String: Any] = [:]
        for criterion in subscription.criteria {
            switch criterion.value {
            case .flag(let flag): criteria[criterion.name] = flag
            case .list(let list): criteria[criterion.name] = list
            }
        }
        var filter: [String: Any] = [
            "domain": subscription.domain.rawValue, "event_types": subscription.eventTypes,
        ]
        if !subscription.criteria.isEmpty { filter["criteria"] = criteria }
        var handler: [String: Any] = [
            "handler_type": "webhook", "url": subscription.url, "secret": secret,
            "use_secret_for_signing": subscription.useSecretForSigning,
            "custom_http_headers": testID.map { [["name": "X-Artifactory-Hooks-Test", "value": $0]] } ?? [Any](),
        ]
        if let proxy = subscription.proxy { handler["proxy"] = proxy }
        let object: [String: Any] = [
            "key": subscription.key, "description": subscription.description, "enabled": subscription.enabled,
            "event_filter": filter, "handlers": [handler],
        ]
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

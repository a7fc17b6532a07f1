public import ArtifactoryEvents
public import Foundation

extension DaemonConfig {
    /// `subscriptions:`: the webhooks the daemon wants Artifactory's Event API to hold, which
    /// `subscriptions plan` compares and `subscriptions apply` creates or updates. The daemon
    /// itself never changes them.
    public struct Subscriptions: Sendable {
        /// `key_prefix`: every key must start with it, and `apply --prune` deletes only
        /// subscriptions whose key starts with it. Default `nil`: `--prune` is refused.
        public var keyPrefix: String?
        /// `public_url`: the daemon's URL as Artifactory reaches it (`https://hooks.example.com`);
        /// a subscription without its own `url` is sent to `PUBLIC_URL/webhooks/ENDPOINT`.
        /// Default `nil`: each subscription gives `url`.
        public var publicURL: URL?
        /// `webhooks:`: the subscriptions, in the order written.
        public var webhooks: [Subscription]

        public init(keyPrefix: String? = nil, publicURL: URL? = nil, webhooks: [Subscription] = []) {
            self.keyPrefix = keyPrefix
            self.publicURL = publicURL
            self.webhooks = webhooks
        }
    }

    /// One webhook subscription as the Event API takes it (one domain, its event types, criteria,
    /// and one handler that posts to one of the daemon's endpoints).
    public struct Subscription: Sendable, Equatable {
        /// `key`: the subscription's key in Artifactory.
        public var key: String
        /// `description`. Default: empty.
        public var description: String
        /// `enabled`. Default `true`.
        public var enabled: Bool
        /// `endpoint`: the configured endpoint that receives it; its auth mode decides
        /// `use_secret_for_signing` and its first secret is sent.
        public var endpoint: String
        /// `url`, or `public_url` + `/webhooks/ENDPOINT`: where Artifactory posts.
        public var url: String
        /// `domain`: the event domain (`artifact`, `build`, …).
        public var domain: EventDomain
        /// `event_types`: the domain's event types, in the order written.
        public var eventTypes: [String]
        /// `criteria`, with the Event API's member names, in a fixed order per domain; every
        /// member the domain takes is present (`false` or empty when not written).
        public var criteria: [Criterion]
        /// `proxy`: the key of one of Artifactory's proxies to send through. Default: none.
        public var proxy: String?
        /// `use_secret_for_signing`: `true` for an `hmac-sha256` endpoint (Artifactory signs the
        /// body), `false` for a `token` endpoint (the header holds the secret).
        public var useSecretForSigning: Bool

        public init(
            key: String, description: String = "", enabled: Bool = true, endpoint: String, url: String,
            domain: EventDomain, eventTypes: [String], criteria: [Criterion] = [], proxy: String? = nil,
            useSecretForSigning: Bool
        ) {
            self.key = key
            self.description = description
            self.enabled = enabled
            self.endpoint = endpoint
            self.url = url
            self.domain = domain
            self.eventTypes = eventTypes
            self.criteria = criteria
            self.proxy = proxy
            self.useSecretForSigning = useSecretForSigning
        }
    }

    /// One member of a subscription's `criteria`, named as the Event API names it.
    public struct Criterion: Sendable, Equatable {
        /// A flag (`anyLocal`) or a list of names or patterns (`repoKeys`).
        public enum Value: Sendable, Equatable {
            case flag(Bool)
            case list([String])
        }

        /// The Event API's member name (`anyLocal`, `repoKeys`, `includePatterns`).
        public var name: String
        public var value: Value

        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }
}

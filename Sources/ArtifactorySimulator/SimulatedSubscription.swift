import Foundation

/// A webhook subscription of the Event API (`/event/api/v1/subscriptions`), as JFrog's REST API
/// pages describe it: a key, a description, whether it is enabled, an event filter (one domain,
/// its event types, criteria) and its handlers.
public struct SimulatedSubscription: Sendable, Equatable {
    /// One `webhook` handler: where to post and how to authenticate.
    public struct Handler: Sendable, Equatable {
        public var url: String
        /// The secret; never given back by GET.
        public var secret: String?
        /// Whether the secret signs the body (HMAC-SHA256) instead of being sent as the header.
        public var useSecretForSigning: Bool
        public var proxy: String?
        /// `custom_http_headers`, as name and value, in order.
        public var customHeaders: [Header]

        public init(
            url: String, secret: String? = nil, useSecretForSigning: Bool = false, proxy: String? = nil,
            customHeaders: [Header] = []
        ) {
            self.url = url
            self.secret = secret
            self.useSecretForSigning = useSecretForSigning
            self.proxy = proxy
            self.customHeaders = customHeaders
        }
    }

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var key: String
    public var description: String
    public var enabled: Bool
    public var domain: String
    public var eventTypes: [String]
    /// `criteria`, kept as the JSON object it was given (compact, keys sorted).
    public var criteriaJSON: Data?
    public var handlers: [Handler]

    public init(
        key: String, description: String = "", enabled: Bool = true, domain: String, eventTypes: [String],
        criteriaJSON: Data? = nil, handlers: [Handler]
    ) {
        self.key = key
        self.description = description
        self.enabled = enabled
        self.domain = domain
        self.eventTypes = eventTypes
        self.criteriaJSON = criteriaJSON
        self.handlers = handlers
    }

    /// The subscription as GET answers it: every member but the handlers' secrets, which JFrog's
    /// Event API does not give back (JFrog's Terraform provider keeps the secret from its own state
    /// for that reason).
    var json: [String: Any] {
        var filter: [String: Any] = ["domain": domain, "event_types": eventTypes]
        if let criteriaJSON, let criteria = try? JSONSerialization.jsonObject(with: criteriaJSON) {
            filter["criteria"] = criteria
        }
        return [
            "key": key, "description": description, "enabled": enabled, "event_filter": filter,
            "handlers": handlers.map { handler -> [String: Any] in
                var object: [String: Any] = [
                    "handler_type": "webhook", "url": handler.url,
                    "use_secret_for_signing": handler.useSecretForSigning,
                    "custom_http_headers": handler.customHeaders.map { ["name": $0.name, "value": $0.value] },
                ]
                if let proxy = handler.proxy { object["proxy"] = proxy }
                return object
            },
        ]
    }
}

/// One decoded webhook delivery: the envelope fields, the raw `data`, and its typed view.
///
/// Only a JSON object with a non-empty `event_type` is an event; every other field is optional so a
/// newer or older Artifactory never has its events refused.
public struct WebhookEvent: Sendable, Hashable {
    /// Domain and event type.
    public var kind: EventKind
    /// The raw `data` object (`.null` when absent).
    public var data: JSONValue
    /// The typed view of `data`.
    public var typedData: EventData
    /// The webhook's subscription key, when sent.
    public var subscriptionKey: String?
    /// The Artifactory instance that sent it (`jpd_origin`), when sent.
    public var origin: String?
    /// Who caused the event (`source`), when sent.
    public var source: String?

    /// What the event is about.
    public var subject: EventSubject { typedData.subject }

    /// Why a body is not an event. `description` is safe to return to the sender.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A short stable code: `not_json`, `not_an_object`, `missing_event_type`, `nul_character`.
        public var code: String
        /// What is wrong, in words a sender can act on.
        public var message: String

        public var description: String { message }
    }

    public init(kind: EventKind, data: JSONValue, subscriptionKey: String?, origin: String?, source: String?) {
        self.kind = kind
        self.data = data
        self.typedData = EventData(domain: kind.domain, data: data)
        self.subscriptionKey = subscriptionKey
        self.origin = origin
        self.source = source
    }

    /// Decodes a raw webhook body.
    ///
    /// A missing `domain` is tolerated: older releases sent it as `destination`. Without `data` (the
    /// oldest, flat layout) the other members are the data, and the domain is told by its fields
    /// (``flatLayoutDomain(_:eventType:)``); otherwise the event is stored under the unknown domain
    /// `""`. A missing or empty `event_type` is refused, because nothing
    /// could ever act on such an event.
    public init(body: some Collection<UInt8>) throws(DecodingError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw DecodingError(code: "not_json", message: "The body is not valid JSON (\(error)).")
        }
        guard let members = json.objectValue else {
            throw DecodingError(
                code: "not_an_object", message: "The body must be a JSON object with an \"event_type\".")
        }
        guard let eventType = members["event_type"]?.stringValue, !eventType.isEmpty else {
            throw DecodingError(
                code: "missing_event_type",
                message: "The body has no \"event_type\" string; every Artifactory webhook event carries one."
            )
        }
        let domain =
            members["domain"]?.stringValue ?? members["destination"]?.stringValue
            ?? (members["data"] == nil ? Self.flatLayoutDomain(members, eventType: eventType) : nil) ?? ""
        let envelopeKeys: Set<String> = [
            "domain", "destination", "event_type", "subscription_key", "jpd_origin", "source",
        ]
        self.init(
            kind: EventKind(domain: EventDomain(rawValue: domain), eventType: eventType),
            data: members["data"] ?? .object(members.filter { !envelopeKeys.contains($0.key) }),
            subscriptionKey: members["subscription_key"]?.scalarText,
            origin: members["jpd_origin"]?.scalarText,
            source: members["source"]?.scalarText
        )
        if let field = fieldHoldingNUL {
            throw DecodingError(
                code: "nul_character",
                message:
                    "The body's \(field) holds a NUL character (\\u0000), which no Artifactory event has and the store cannot index; the event was not stored."
            )
        }
    }

    /// The domain of a body in the oldest, flat layout (no `domain`, no `data`: JFrog's pages for
    /// builds, Docker and properties still show it), told by the field only that domain's events
    /// carry, when the event type is one of that domain's; `nil` otherwise. Without it such an event
    /// was stored under no domain, and no rule could ever match it.
    static func flatLayoutDomain(_ members: [String: JSONValue], eventType: String) -> String? {
        let tells: [(field: String, domain: String, eventTypes: Set<String>)] = [
            ("property_key", "artifact_property", ["added", "deleted"]),
            ("image_name", "docker", ["pushed", "deleted", "promoted"]),
            ("build_name", "build", ["uploaded", "deleted", "promoted"]),
            ("repo_key", "artifact", ["deployed", "deleted", "moved", "copied", "cached"]),
        ]
        return tells.first { members[$0.field] != nil && $0.eventTypes.contains(eventType) }?.domain
    }

    /// The first of the fields the store keeps in columns of their own (and PostgreSQL as text,
    /// which cannot hold U+0000) that holds a NUL character. The body itself may hold any.
    var fieldHoldingNUL: String? {
        let subject = self.subject
        let fields: [(name: String, value: String?)] = [
            ("event_type", kind.eventType), ("domain", kind.domain.rawValue), ("subscription_key", subscriptionKey),
            ("jpd_origin", origin), ("source", source), ("repository", subject.repo), ("path", subject.path),
            ("build name", subject.buildName), ("build number", subject.buildNumber), ("subject", subject.key),
        ]
        return fields.first { $0.value?.utf8.contains(0) == true }?.name
    }
}

/// What happened: a domain and an event type, written `domain.event_type` (`artifact.deployed`).
public struct EventKind: Sendable, Hashable, CustomStringConvertible {
    /// The event's domain.
    public var domain: EventDomain
    /// The event type exactly as Artifactory sent it (`deployed`, `release_bundle_v2_started`).
    public var eventType: String

    public init(domain: EventDomain, eventType: String) {
        self.domain = domain
        self.eventType = eventType
    }

    /// Parses `domain.event_type`; `nil` when there is no dot or either side is empty.
    public init?(_ text: String) {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let domain = String(text[..<dot])
        let eventType = String(text[text.index(after: dot)...])
        guard !domain.isEmpty, !eventType.isEmpty else { return nil }
        self.init(domain: EventDomain(rawValue: domain), eventType: eventType)
    }

    public var description: String { "\(domain.rawValue).\(eventType)" }
}

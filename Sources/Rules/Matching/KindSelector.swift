public import ArtifactoryEvents

/// One entry of a rule's `on:` list: an exact kind (`artifact.deployed`) or every event type of a
/// domain (`artifact.*`).
public enum KindSelector: Sendable, Hashable, CustomStringConvertible {
    case kind(EventKind)
    case domain(EventDomain)

    /// Parses `DOMAIN.EVENT_TYPE` or `DOMAIN.*`; `nil` when malformed.
    public init?(_ text: String) {
        guard let kind = EventKind(text), !text.contains(" ") else { return nil }
        if kind.eventType == "*" {
            self = .domain(kind.domain)
        } else if kind.eventType.contains("*") {
            return nil
        } else {
            self = .kind(kind)
        }
    }

    /// Whether an event of `kind` is selected.
    public func selects(_ kind: EventKind) -> Bool {
        switch self {
        case .kind(let selected): selected == kind
        case .domain(let domain): domain == kind.domain
        }
    }

    public var description: String {
        switch self {
        case .kind(let kind): kind.description
        case .domain(let domain): "\(domain.rawValue).*"
        }
    }

    /// The known kinds this selects; `nil` when it may select kinds the catalog does not know
    /// (an unknown domain or event type), whose fields cannot be checked.
    var knownKinds: [EventKind]? {
        switch self {
        case .kind(let kind):
            return EventCatalog.dataFields(of: kind) == nil ? nil : [kind]
        case .domain(let domain):
            let kinds = EventCatalog.kinds(of: domain)
            return kinds.isEmpty ? nil : kinds
        }
    }
}

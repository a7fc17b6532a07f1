public import Foundation

/// Filters for listing events; every set filter must hold.
public struct EventQuery: Sendable, Equatable {
    /// `domain.event_type`, or `domain.*` for every type of a domain.
    public var kind: String?
    /// Exact repository key.
    public var repo: String?
    /// Item path prefix inside the repository.
    public var pathPrefix: String?
    /// Exact build name.
    public var buildName: String?
    /// Only events received at or after this time.
    public var since: Date?
    /// Only events received before this time.
    public var until: Date?
    /// Exact endpoint name.
    public var endpoint: String?
    /// Exact `jpd_origin` the event carried.
    public var origin: String?
    /// Only events that arrived this way (delivered, or read back by catch-up).
    public var arrival: EventArrival?
    /// Only events with an id below this one: the next page of a newest-first list.
    public var beforeID: Int64?
    /// At most this many rows (default 100).
    public var limit: Int

    public init(
        kind: String? = nil, repo: String? = nil, pathPrefix: String? = nil, buildName: String? = nil,
        since: Date? = nil, until: Date? = nil, endpoint: String? = nil, origin: String? = nil,
        arrival: EventArrival? = nil, beforeID: Int64? = nil, limit: Int = 100
    ) {
        self.kind = kind
        self.repo = repo
        self.pathPrefix = pathPrefix
        self.buildName = buildName
        self.since = since
        self.until = until
        self.endpoint = endpoint
        self.origin = origin
        self.arrival = arrival
        self.beforeID = beforeID
        self.limit = limit
    }
}

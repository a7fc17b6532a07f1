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
    /// At most this many rows (default 100).
    public var limit: Int

    public init(
        kind: String? = nil, repo: String? = nil, pathPrefix: String? = nil, buildName: String? = nil,
        since: Date? = nil, limit: Int = 100
    ) {
        self.kind = kind
        self.repo = repo
        self.pathPrefix = pathPrefix
        self.buildName = buildName
        self.since = since
        self.limit = limit
    }
}

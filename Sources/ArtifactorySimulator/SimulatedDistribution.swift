public import Foundation

/// One Release Bundle v2 distribution the simulator was asked for (`POST
/// lifecycle/api/v2/distribution/distribute/{name}/{version}`).
public struct SimulatedDistribution: Sendable, Hashable {
    /// The tracker id answered as `distribution_id`.
    public var id: Int
    public var name: String
    public var version: String
    /// `repository_key` or `project` from the query, when given.
    public var repositoryKey: String?
    public var project: String?
    /// The site names of the body's `distribution_rules`.
    public var siteNames: [String]
    public var user: String
    public var at: Date
}

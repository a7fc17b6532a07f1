/// What the worker learned from Artifactory for one guard, just before the call.
public struct GuardFacts: Sendable, Equatable {
    /// Whether the item exists (File or Folder Info); `nil` when not asked.
    public var exists: Bool?
    /// The file's size in bytes; `nil` for a folder, a missing item, or when not asked.
    public var size: Int64?
    /// The item's properties (Item Properties); empty for a missing item or one without properties.
    public var properties: [String: [String]]
    /// The build run's latest status (Build Info's last `statuses` entry); `nil` when it has none.
    public var buildStatus: String?

    public init(
        exists: Bool? = nil, size: Int64? = nil, properties: [String: [String]] = [:], buildStatus: String? = nil
    ) {
        self.exists = exists
        self.size = size
        self.properties = properties
        self.buildStatus = buildStatus
    }
}

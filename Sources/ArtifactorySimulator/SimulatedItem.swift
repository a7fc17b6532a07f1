public import Foundation

/// A file or folder in a simulated repository.
public struct SimulatedItem: Sendable, Hashable {
    /// The repository key.
    public var repo: String
    /// The path inside the repository without a leading `/`; `""` is the repository root.
    public var path: String
    /// Whether this is a folder (the root is one).
    public var isFolder: Bool
    /// Its properties, key to values.
    public var properties: [String: [String]]
    /// Size in bytes (0 for folders).
    public var size: Int
    /// When it was created.
    public var created: Date
    /// When it last changed.
    public var modified: Date

    public init(
        repo: String, path: String, isFolder: Bool, properties: [String: [String]] = [:], size: Int = 0,
        created: Date = Date()
    ) {
        self.repo = repo
        self.path = path
        self.isFolder = isFolder
        self.properties = properties
        self.size = size
        self.created = created
        self.modified = created
    }

    /// The last path segment, or the repository key for the root.
    public var name: String { path.split(separator: "/").last.map(String.init) ?? repo }

    /// The path of the folder holding it, `.` at the top level (AQL's convention).
    public var folderPath: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}

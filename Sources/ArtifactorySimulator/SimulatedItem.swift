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
    /// The SHA-1 of its content, lowercase hex (AQL's `actual_sha1` and `original_sha1`); `""` for folders.
    public var sha1: String
    /// The SHA-256 of its content, lowercase hex; `""` for folders.
    public var sha256: String
    /// The MD5 of its content, lowercase hex (`actual_md5`, `original_md5`); `""` for folders.
    public var md5: String

    /// A file's checksums are those of `content`; without content they are stand-ins derived from
    /// `REPO/PATH`, so distinct files have distinct checksums (Artifactory links build artifacts
    /// by checksum).
    public init(
        repo: String, path: String, isFolder: Bool, properties: [String: [String]] = [:], size: Int = 0,
        created: Date = Date(), content: [UInt8]? = nil
    ) {
        self.repo = repo
        self.path = path
        self.isFolder = isFolder
        self.properties = properties
        self.size = size
        self.created = created
        self.modified = created
        (sha1, sha256, md5) = ("", "", "")
        if !isFolder { setContent(content) }
    }

    /// Replaces the checksums with those of `content` (or stand-ins derived from `REPO/PATH` when
    /// `nil`).
    public mutating func setContent(_ content: [UInt8]?) {
        let digest = content.map(ContentDigest.init) ?? ContentDigest(standIn: "\(repo)/\(path)")
        (sha1, sha256, md5) = (digest.sha1, digest.sha256, digest.md5)
    }

    /// How many segments deep it sits (AQL's `depth`): 1 for a top-level file, 0 for the root.
    public var depth: Int { path.split(separator: "/").count }

    /// The last path segment, or the repository key for the root.
    public var name: String {
        guard !path.isEmpty else { return repo }
        return path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// The path of the folder holding it, `.` at the top level (AQL's convention).
    public var folderPath: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}

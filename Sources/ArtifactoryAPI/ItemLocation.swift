/// A file or folder in a repository: `libs-release-local` + `com/acme/app/1.0/app-1.0.jar`.
public struct ItemLocation: Sendable, Hashable, CustomStringConvertible {
    /// The repository key.
    public var repo: String
    /// The path inside the repository, without a leading `/`; empty for the repository root.
    public var path: String

    public init(repo: String, path: String) {
        self.repo = repo
        self.path = path
    }

    /// `repo/path`.
    public var description: String { path.isEmpty ? repo : "\(repo)/\(path)" }
}

/// What an event is about: the thing whose jobs must run in order, and what `events list` filters on.
public enum EventSubject: Sendable, Hashable, CustomStringConvertible {
    /// An item in a repository (`repo/path/to/file.jar`).
    case artifact(repo: String, path: String)
    /// A build run.
    case build(name: String, number: String)
    /// A release bundle version (v1 or v2).
    case releaseBundle(name: String, version: String)
    /// A Docker image tag.
    case dockerImage(repo: String, image: String, tag: String)
    /// An AppTrust application version.
    case application(key: String, version: String)
    /// A user account.
    case user(name: String)
    /// Nothing the daemon recognises.
    case none

    /// A stable one-line key (`artifact:libs/a/b.jar`), used for ordering and display.
    public var key: String {
        switch self {
        case .artifact(let repo, let path): "artifact:\(repo)/\(path)"
        case .build(let name, let number): "build:\(name)#\(number)"
        case .releaseBundle(let name, let version): "bundle:\(name)@\(version)"
        case .dockerImage(let repo, let image, let tag): "docker:\(repo)/\(image):\(tag)"
        case .application(let key, let version): "application:\(key)@\(version)"
        case .user(let name): "user:\(name)"
        case .none: ""
        }
    }

    public var description: String { key }

    /// The repository key, for artifacts and images.
    public var repo: String? {
        switch self {
        case .artifact(let repo, _), .dockerImage(let repo, _, _): repo
        default: nil
        }
    }

    /// The item path inside its repository, for artifacts.
    public var path: String? {
        if case .artifact(_, let path) = self { return path }
        return nil
    }

    /// The build name, for build runs.
    public var buildName: String? {
        if case .build(let name, _) = self { return name }
        return nil
    }

    /// The build number, for build runs.
    public var buildNumber: String? {
        if case .build(_, let number) = self { return number }
        return nil
    }
}

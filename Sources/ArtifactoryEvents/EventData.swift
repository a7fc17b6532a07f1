/// The typed view of an event's `data` object, by domain. Decoding is lenient: a missing or
/// oddly-typed field becomes `nil`, never an error, and the raw `data` is always kept beside it.
public enum EventData: Sendable, Hashable {
    case artifact(ArtifactData)
    case artifactProperty(ArtifactPropertyData)
    case docker(DockerData)
    case build(BuildData)
    /// Release bundles v1 and v2, their promotions, distribution and destination events.
    case releaseBundle(ReleaseBundleData)
    case artifactLifecycle(ArtifactData)
    case user(UserData)
    /// AppTrust gate events about an application version.
    case application(ApplicationData)
    /// A domain this version does not know; only the raw `data` is available.
    case unknown

    /// Decodes the typed view of `data` for `domain`.
    public init(domain: EventDomain, data: JSONValue) {
        let fields = data.objectValue ?? [:]
        switch domain {
        case .artifact: self = .artifact(ArtifactData(fields))
        case .artifactProperty: self = .artifactProperty(ArtifactPropertyData(fields))
        case .docker: self = .docker(DockerData(fields))
        case .build: self = .build(BuildData(fields))
        case .releaseBundle, .releaseBundleV2, .releaseBundleV2Promotion, .distribution, .destination,
            .artifactoryReleaseBundle:
            self = .releaseBundle(ReleaseBundleData(fields))
        case .artifactLifecycle: self = .artifactLifecycle(ArtifactData(fields))
        case .user: self = .user(UserData(fields))
        case .appTrust: self = .application(ApplicationData(fields))
        case .unknown: self = .unknown
        }
    }

    /// What the event is about, derived from the typed fields.
    public var subject: EventSubject {
        switch self {
        case .artifact(let item), .artifactLifecycle(let item): item.subject
        case .artifactProperty(let property): property.item.subject
        case .docker(let image):
            if let repo = image.item.repoKey, let name = image.imageName, let tag = image.tag {
                .dockerImage(repo: repo, image: name, tag: tag)
            } else {
                image.item.subject
            }
        case .build(let build):
            if let name = build.buildName, let number = build.buildNumber {
                .build(name: name, number: number)
            } else {
                .none
            }
        case .releaseBundle(let bundle):
            if let name = bundle.name, let version = bundle.version {
                .releaseBundle(name: name, version: version)
            } else {
                .none
            }
        case .user(let user): user.userName.map { .user(name: $0) } ?? .none
        case .application(let application):
            if let key = application.applicationKey, let version = application.version {
                .application(key: key, version: version)
            } else {
                .none
            }
        case .unknown: .none
        }
    }
}

/// Reads a field as text whatever its JSON scalar type, trying several names in order.
func text(_ fields: [String: JSONValue], _ names: String...) -> String? {
    for name in names {
        if let value = fields[name]?.scalarText, !value.isEmpty { return value }
    }
    return nil
}

/// An item in a repository: `artifact.*`, the item part of property and docker events, and
/// `artifact_lifecycle.*`.
public struct ArtifactData: Sendable, Hashable {
    /// Repository key (`repo_key`).
    public var repoKey: String?
    /// Path inside the repository, without a leading slash.
    public var path: String?
    /// File name.
    public var name: String?
    /// Size in bytes, when it fits in 64 bits.
    public var size: Int64?
    /// SHA-256 checksum, hex.
    public var sha256: String?
    /// `moved`/`copied`: where the item came from (`repo/path`).
    public var sourceRepoPath: String?
    /// `moved`/`copied`: where the item went (`repo/path`).
    public var targetRepoPath: String?

    public init(_ fields: [String: JSONValue]) {
        repoKey = text(fields, "repo_key", "repo")
        path = text(fields, "path").map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        name = text(fields, "name")
        size = fields["size"]?.int64Value
        sha256 = text(fields, "sha256")
        sourceRepoPath = text(fields, "source_repo_path")
        targetRepoPath = text(fields, "target_repo_path")
    }

    /// The artifact this describes, when both repository and path are present.
    public var subject: EventSubject {
        guard let repoKey, let path else { return .none }
        return .artifact(repo: repoKey, path: path)
    }
}

/// `artifact_property.added` / `artifact_property.deleted`.
public struct ArtifactPropertyData: Sendable, Hashable {
    /// The item whose properties changed.
    public var item: ArtifactData
    /// The property key.
    public var propertyKey: String?
    /// The property values (as text).
    public var propertyValues: [String]

    public init(_ fields: [String: JSONValue]) {
        item = ArtifactData(fields)
        propertyKey = text(fields, "property_key")
        if case .array(let values)? = fields["property_values"] {
            propertyValues = values.compactMap(\.scalarText)
        } else {
            propertyValues = fields["property_values"]?.scalarText.map { [$0] } ?? []
        }
    }
}

/// `docker.*`: an image tag pushed, deleted or promoted.
public struct DockerData: Sendable, Hashable {
    /// The manifest item in its repository.
    public var item: ArtifactData
    /// Image name (`library/nginx`).
    public var imageName: String?
    /// Tag (`1.25`).
    public var tag: String?

    public init(_ fields: [String: JSONValue]) {
        item = ArtifactData(fields)
        imageName = text(fields, "image_name")
        tag = text(fields, "tag")
    }
}

/// `build.*`: a build run uploaded, deleted or promoted.
public struct BuildData: Sendable, Hashable {
    /// Build name.
    public var buildName: String?
    /// Build number (text: Artifactory allows any string).
    public var buildNumber: String?
    /// Start time as sent (ISO 8601 text).
    public var buildStarted: String?
    /// Build-info repository, when sent.
    public var buildRepo: String?

    public init(_ fields: [String: JSONValue]) {
        buildName = text(fields, "build_name")
        buildNumber = text(fields, "build_number")
        buildStarted = text(fields, "build_started")
        buildRepo = text(fields, "build_repo", "build_repository", "repo_key")
    }
}

/// Release bundle (v1 and v2), promotion, distribution and destination events.
public struct ReleaseBundleData: Sendable, Hashable {
    /// Bundle name.
    public var name: String?
    /// Bundle version.
    public var version: String?
    /// Project key, when sent.
    public var projectKey: String?
    /// Environment of a promotion, when sent.
    public var environment: String?
    /// Status text, when sent.
    public var status: String?

    public init(_ fields: [String: JSONValue]) {
        name = text(fields, "release_bundle_name", "bundle_name", "name")
        version = text(fields, "release_bundle_version", "bundle_version", "version")
        projectKey = text(fields, "project_key", "project")
        environment = text(fields, "environment")
        status = text(fields, "status")
    }
}

/// `user.*`: an account event (locked, …).
public struct UserData: Sendable, Hashable {
    /// The user's login name.
    public var userName: String?

    public init(_ fields: [String: JSONValue]) {
        userName = text(fields, "user_name", "username", "user", "name")
    }
}

/// `app_trust.*`: gate evaluations of an application version.
public struct ApplicationData: Sendable, Hashable {
    /// Application key.
    public var applicationKey: String?
    /// Application version.
    public var version: String?
    /// Lifecycle stage, when sent.
    public var stage: String?

    public init(_ fields: [String: JSONValue]) {
        applicationKey = text(fields, "application_key")
        version = text(fields, "application_version")
        stage = text(fields, "stage")
    }
}

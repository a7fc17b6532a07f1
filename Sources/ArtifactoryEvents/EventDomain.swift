/// The `domain` of a webhook event. Known domains decode into typed data; any other value is kept
/// as ``unknown(_:)`` so events from a newer Artifactory are still accepted and stored.
public enum EventDomain: Sendable, Hashable, CustomStringConvertible {
    case artifact
    case artifactProperty
    case docker
    case build
    case releaseBundle
    case releaseBundleV2
    case releaseBundleV2Promotion
    case distribution
    case destination
    case artifactLifecycle
    case user
    /// The deprecated name of `destination`, still accepted by Artifactory.
    case artifactoryReleaseBundle
    case appTrust
    case unknown(String)

    /// Every domain this version decodes into typed data.
    public static let known: [EventDomain] = [
        .artifact, .artifactProperty, .docker, .build, .releaseBundle, .releaseBundleV2,
        .releaseBundleV2Promotion, .distribution, .destination, .artifactLifecycle, .user,
        .artifactoryReleaseBundle, .appTrust,
    ]

    /// Maps the wire name (`artifact_property`) to a domain.
    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .unknown(rawValue)
    }

    /// The name as Artifactory sends it.
    public var rawValue: String {
        switch self {
        case .artifact: "artifact"
        case .artifactProperty: "artifact_property"
        case .docker: "docker"
        case .build: "build"
        case .releaseBundle: "release_bundle"
        case .releaseBundleV2: "release_bundle_v2"
        case .releaseBundleV2Promotion: "release_bundle_v2_promotion"
        case .distribution: "distribution"
        case .destination: "destination"
        case .artifactLifecycle: "artifact_lifecycle"
        case .user: "user"
        case .artifactoryReleaseBundle: "artifactory_release_bundle"
        case .appTrust: "app_trust"
        case .unknown(let name): name
        }
    }

    public var description: String { rawValue }
}

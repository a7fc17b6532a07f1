public import Foundation

extension ArtifactoryClient {
    /// How to reach one Artifactory.
    public struct Configuration: Sendable {
        /// Base URL including the context path, e.g. `https://host/artifactory`; every request path
        /// is relative to it.
        public var baseURL: URL
        /// How to authenticate.
        public var credential: ArtifactoryCredential
        /// Longest a whole call may take, from asking for a connection to the last byte of the
        /// answer. Default 30 seconds.
        public var requestTimeout: Duration
        /// Longest opening a connection may take. Default 10 seconds.
        public var connectTimeout: Duration
        /// A PEM file of CA certificates trusted in addition to the system's, for an Artifactory
        /// behind a private CA. Default: none.
        public var caFile: String?
        /// The project key sent as `project=` to the calls that take one (build info, promotion).
        /// Default: none (Artifactory's default build-info repository).
        public var project: String?
        /// Largest answer body read, in bytes; a larger one fails the call. Default 64 MiB.
        public var maxResponseBytes: Int
        /// The `User-Agent` header. Default `artifactory-hooks`.
        public var userAgent: String
        /// The JFrog Platform's base URL, e.g. `https://host`: requests whose
        /// ``ArtifactoryRequest/base`` is ``ArtifactoryRequest/Base/platform`` are relative to it.
        /// Default (`nil`): ``baseURL`` without its final `/artifactory` segment
        /// (``ArtifactoryRequest/Base/platformURL(fromArtifactoryURL:)``).
        public var platformBaseURL: URL?

        public init(
            baseURL: URL, credential: ArtifactoryCredential, requestTimeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10), caFile: String? = nil, project: String? = nil,
            maxResponseBytes: Int = 64 << 20, userAgent: String = "artifactory-hooks", platformBaseURL: URL? = nil
        ) {
            self.platformBaseURL = platformBaseURL
            self.baseURL = baseURL
            self.credential = credential
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.caFile = caFile
            self.project = project
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
        }
    }
}

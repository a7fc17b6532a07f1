public import Foundation

/// A build run stored in the simulator, with its promotion history.
public struct SimulatedBuild: Sendable, Hashable {
    /// One promotion, as build info's `statuses` lists it.
    public struct Status: Sendable, Hashable {
        /// The status set (`staged`, `released`, …).
        public var status: String
        /// The promotion's comment.
        public var comment: String?
        /// The promotion's target repository.
        public var repository: String?
        /// The promotion's timestamp, as sent (or the time it arrived).
        public var timestamp: String
        /// The authenticated user that promoted.
        public var user: String
        /// The CI user named in the promotion.
        public var ciUser: String?
    }

    /// One artifact a module of the run lists in its build info (`modules[].artifacts[]`).
    /// Artifactory links it to the stored files with the same checksum.
    public struct Artifact: Sendable, Hashable {
        /// The module's `id`.
        public var module: String
        /// The artifact's `name`.
        public var name: String
        /// The artifact's `type` (`jar`, `pom`, …), `""` when not given.
        public var type: String
        /// Its `sha1`, lowercase; `""` when not given.
        public var sha1: String
        /// Its `sha256`, lowercase; `""` when not given.
        public var sha256: String
        /// Its `md5`, lowercase; `""` when not given.
        public var md5: String

        public init(
            module: String, name: String, type: String = "", sha1: String, sha256: String = "", md5: String = ""
        ) {
            self.module = module
            self.name = name
            self.type = type
            self.sha1 = sha1.lowercased()
            self.sha256 = sha256.lowercased()
            self.md5 = md5.lowercased()
        }

        /// Whether `item` is this artifact: same SHA-1 (or, when the build info gives no SHA-1,
        /// same SHA-256). Folders never are.
        public func isStored(as item: SimulatedItem) -> Bool {
            guard !item.isFolder else { return false }
            if !sha1.isEmpty { return sha1 == item.sha1 }
            return !sha256.isEmpty && sha256 == item.sha256
        }
    }

    /// The build name (may contain `/`).
    public var name: String
    /// The build number.
    public var number: String
    /// The project the build belongs to; `nil` for the default build-info repository.
    public var project: String?
    /// When the build started, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`.
    public var started: String
    /// The build info JSON object as uploaded (without `statuses`, which ``statuses`` holds).
    public var info: Data
    /// The promotion history, oldest first.
    public var statuses: [Status]
    /// The artifacts its modules list, in build-info order.
    public var artifacts: [Artifact]

    /// The build-info repository holding the run, AQL's `build.repo`: `artifactory-build-info`, or
    /// `PROJECT-build-info` for a project's build.
    public var repository: String { project.map { "\($0)-build-info" } ?? "artifactory-build-info" }

    public init(
        name: String, number: String, project: String? = nil, started: String, info: Data, statuses: [Status] = [],
        artifacts: [Artifact] = []
    ) {
        self.artifacts = artifacts
        self.name = name
        self.number = number
        self.project = project
        self.started = started
        self.info = info
        self.statuses = statuses
    }
}

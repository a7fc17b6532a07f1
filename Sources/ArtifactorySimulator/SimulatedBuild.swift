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

    public init(
        name: String, number: String, project: String? = nil, started: String, info: Data, statuses: [Status] = []
    ) {
        self.name = name
        self.number = number
        self.project = project
        self.started = started
        self.info = info
        self.statuses = statuses
    }
}

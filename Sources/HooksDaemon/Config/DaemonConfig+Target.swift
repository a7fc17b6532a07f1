public import ArtifactoryAPI

extension DaemonConfig {
    /// One entry of `targets:`: an outbound service the rules' `http:` calls name.
    public struct Target: Sendable {
        /// Where and how to call it (URL, credential, signing, timeouts, statuses).
        public var client: TargetClient.Configuration
        /// Calls under way at once to this target, apart from the worker's `concurrency` (which
        /// bounds the Artifactory calls). Default ``defaultConcurrency``.
        public var concurrency: Int

        /// Two calls at once: enough for a chat service, gentle on a CI server.
        public static let defaultConcurrency = 2

        public var name: String { client.name }

        public init(client: TargetClient.Configuration, concurrency: Int = Target.defaultConcurrency) {
            self.client = client
            self.concurrency = concurrency
        }
    }
}

extension DaemonConfig {
    /// `catch_up:`: how the daemon reads the failed deliveries of the configured subscriptions
    /// back from Artifactory's webhook troubleshooting store (docs/operations.md, "Catch-up").
    public struct CatchUp: Sendable, Equatable {
        /// `interval`: how often a run starts, after the one at start-up; `nil` (`0` or `off`)
        /// turns catch-up off in the daemon (the `catch-up` command still runs). Default
        /// ``defaultInterval``.
        public var interval: Duration?

        /// 5 minutes.
        public static let defaultInterval = Duration.seconds(300)

        public init(interval: Duration? = CatchUp.defaultInterval) {
            self.interval = interval
        }
    }
}

extension DaemonConfig {
    /// How long events stay in the store (`store.retention`, `store.retention_interval`,
    /// `store.retention_batch`).
    ///
    /// Only settled events go: planned, and every job of theirs done or cancelled. An event with a
    /// dead letter, or a job still to run, stays whatever its age.
    public struct Retention: Sendable, Equatable {
        /// `store.retention`: settled events received longer ago than this are deleted; `nil`
        /// (`off` or `0`) keeps everything. Default 30 days.
        public var maxAge: Duration?
        /// `store.retention_interval`: how often a retention pass runs. Default 1 hour.
        public var interval: Duration
        /// `store.retention_batch`: events deleted per transaction, so ingest never waits long.
        /// Default 500.
        public var batchSize: Int
        /// The pause between two batches of one pass, which lets ingest's writes in. Default 50 ms.
        public var pause: Duration

        public init(
            maxAge: Duration? = .seconds(30 * 86400), interval: Duration = .seconds(3600), batchSize: Int = 500,
            pause: Duration = .milliseconds(50)
        ) {
            self.maxAge = maxAge
            self.interval = interval
            self.batchSize = batchSize
            self.pause = pause
        }
    }
}

/// What a catch-up run did for one subscription.
public struct CatchUpReport: Sendable, Equatable {
    /// How the run of one subscription ended.
    public enum State: Sendable, Equatable {
        /// Every record up to the run's end was read (and, unless a dry run, stored).
        case done
        /// Another daemon is catching this subscription up; nothing was read.
        case busy
        /// Artifactory's troubleshooting store cannot be read; the message says what to enable.
        case unavailable(String)
        /// The run stopped early (a transport error, the event store); the next run goes on from
        /// the checkpoint.
        case stopped(String)
    }

    /// The subscription's key.
    public var subscription: String
    /// The endpoint its deliveries go to.
    public var endpoint: String
    public var state: State = .done
    /// Records read (oversized ones included).
    public var records = 0
    /// Records of deliveries that succeeded: passed over.
    public var delivered = 0
    /// Further records of an event already read in this run (Artifactory's retries): passed over.
    public var retries = 0
    /// Events stored as new (a dry run counts those it would store, duplicates included).
    public var accepted = 0
    /// Events whose body had arrived already: stored as duplicates, planned nothing.
    public var duplicates = 0
    /// Records refused: not an event, too large, or without a payload.
    public var refused = 0
    /// The checkpoint (Unix milliseconds) after the run; `nil` when none was written.
    public var checkpoint: Int64?

    public init(subscription: String, endpoint: String) {
        self.subscription = subscription
        self.endpoint = endpoint
    }

    /// One line for the `catch-up` command and the logs.
    public var summary: String {
        let counts =
            "\(records) records: \(accepted) new, \(duplicates) duplicates, \(delivered) delivered, "
            + "\(retries) retries, \(refused) refused"
        switch state {
        case .done: return "\(subscription) (endpoint \(endpoint)): \(counts)"
        case .busy: return "\(subscription): another daemon is catching it up; skipped"
        case .unavailable(let why): return "\(subscription): \(why)"
        case .stopped(let why): return "\(subscription): stopped after \(counts): \(why)"
        }
    }
}

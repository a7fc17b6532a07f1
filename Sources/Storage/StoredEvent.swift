public import Foundation

/// An event row as read back from the store.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var receivedAt: Date
    public var endpoint: String
    public var domain: String
    public var eventType: String
    /// The subject key (`artifact:repo/path`, `build:name#number`, …); empty when none.
    public var subject: String
    public var repo: String?
    public var path: String?
    public var buildName: String?
    public var buildNumber: String?
    /// The body exactly as received; empty for a duplicate (``duplicateOf`` holds the same bytes).
    public var body: [UInt8]
    /// Hex SHA-256 fingerprint.
    public var fingerprint: String
    public var duplicateOf: Int64?
    public var sourceAddress: String?
    public var subscriptionKey: String?
    public var origin: String?
    public var source: String?
    /// Hops from an event from outside (loop guard).
    public var hop: Int
    /// Whether one of the daemon's own actions caused it.
    public var selfCaused: Bool
    /// Whether its planning was deferred (backpressure) and has not happened yet.
    public var planDeferred: Bool
    /// Why its endpoint's `accept:` filter did not take it (it was never planned); `nil` when it
    /// was taken.
    public var ignored: String?
    /// How it arrived: delivered, or read back by catch-up.
    public var arrival: EventArrival

    public init(
        id: Int64, receivedAt: Date, endpoint: String, domain: String, eventType: String, subject: String,
        repo: String?, path: String?, buildName: String?, buildNumber: String?, body: [UInt8],
        fingerprint: String, duplicateOf: Int64?, sourceAddress: String?, subscriptionKey: String?,
        origin: String?, source: String?, hop: Int = 0, selfCaused: Bool = false, planDeferred: Bool = false,
        ignored: String? = nil, arrival: EventArrival = .delivery
    ) {
        self.arrival = arrival
        self.ignored = ignored
        self.hop = hop
        self.selfCaused = selfCaused
        self.planDeferred = planDeferred
        self.id = id
        self.receivedAt = receivedAt
        self.endpoint = endpoint
        self.domain = domain
        self.eventType = eventType
        self.subject = subject
        self.repo = repo
        self.path = path
        self.buildName = buildName
        self.buildNumber = buildNumber
        self.body = body
        self.fingerprint = fingerprint
        self.duplicateOf = duplicateOf
        self.sourceAddress = sourceAddress
        self.subscriptionKey = subscriptionKey
        self.origin = origin
        self.source = source
    }

    /// `domain.event_type`.
    public var kind: String { "\(domain).\(eventType)" }
}

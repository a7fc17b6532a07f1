public import Foundation

/// `subscriptions test`'s record of the test events it asked Artifactory to send: the command
/// writes a row for a random test id before asking, the daemon that receives the test event (with
/// the id in its `X-Artifactory-Hooks-Test` header) notes its arrival and whether its signature
/// verified, and the command reads the row back. Test events are never stored as events.
///
/// Only the command creates rows; a delivery can only mark an existing, unexpired one.
public protocol SubscriptionTestLedger: Sendable {
    /// Records that a test event with `id` is expected on `endpoint` for `subscription` until
    /// `expires`; rows expired at `now` are removed.
    func beginSubscriptionTest(id: String, subscription: String, endpoint: String, now: Date, expires: Date)
        async throws

    /// The test `id`, when a row for it exists.
    func subscriptionTest(id: String) async throws -> SubscriptionTest?

    /// Notes the arrival of the test event `id` on `endpoint`; `false` (nothing written) when no
    /// unexpired test `id` waits on that endpoint.
    func recordSubscriptionTest(id: String, endpoint: String, verified: Bool, eventType: String, at: Date)
        async throws -> Bool

    /// Removes the row of test `id`.
    func endSubscriptionTest(id: String) async throws
}

/// One test event `subscriptions test` waits for, and what arrived.
public struct SubscriptionTest: Sendable, Equatable {
    public var id: String
    public var subscription: String
    public var endpoint: String
    public var expiresAt: Date
    /// When the test event arrived; `nil` until it has.
    public var arrivedAt: Date?
    /// Whether its signature (or token) verified with the endpoint's secrets.
    public var verified: Bool?
    /// `domain.event_type` of the body, control characters escaped; `""` when it was not JSON.
    public var eventType: String?

    public init(
        id: String, subscription: String, endpoint: String, expiresAt: Date, arrivedAt: Date? = nil,
        verified: Bool? = nil, eventType: String? = nil
    ) {
        self.id = id
        self.subscription = subscription
        self.endpoint = endpoint
        self.expiresAt = expiresAt
        self.arrivedAt = arrivedAt
        self.verified = verified
        self.eventType = eventType
    }
}

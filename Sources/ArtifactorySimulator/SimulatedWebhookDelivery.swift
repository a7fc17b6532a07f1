import Foundation

/// One event on its way to one webhook handler: queued by the change that caused it, sent by
/// ``WebhookDispatcher``.
struct SimulatedWebhookDelivery: Sendable {
    /// Artifactory's id of the event, the same for every handler it goes to.
    var eventID: String
    var subscriptionKey: String
    var handler: SimulatedSubscription.Handler
    var event: SimulatedWebhookEvent
}

/// What became of one webhook the simulator sent: for tests to wait on and inspect.
public struct SentWebhook: Sendable, Hashable {
    public var eventID: String
    public var subscriptionKey: String
    /// The handler's URL.
    public var url: String
    /// The exact body, the same on every attempt.
    public var body: String
    /// The last answer's status; `nil` when nobody answered.
    public var status: Int?
    /// How many times it was sent.
    public var attempts: Int
    /// Whether the last attempt got a 2xx answer.
    public var delivered: Bool { status.map { (200..<300).contains($0) } ?? false }
}

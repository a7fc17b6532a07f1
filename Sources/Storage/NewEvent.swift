public import ArtifactoryEvents
public import Foundation

/// A verified delivery about to be stored.
public struct NewEvent: Sendable {
    /// When the daemon received it.
    public var receivedAt: Date
    /// The endpoint name it arrived on (`main` for `/webhooks/main`).
    public var endpoint: String
    /// The decoded event.
    public var event: WebhookEvent
    /// The body exactly as received.
    public var body: [UInt8]
    /// Dedup identity over endpoint and body.
    public var fingerprint: EventFingerprint
    /// The sender's address (peer or trusted `X-Forwarded-For`), when known.
    public var sourceAddress: String?
    /// Why the endpoint's `accept:` filter does not take it: it is stored, never planned.
    /// `nil` for an event it takes.
    public var ignored: String?
    /// How it arrived: delivered, or read back by catch-up.
    public var arrival: EventArrival

    public init(
        receivedAt: Date, endpoint: String, event: WebhookEvent, body: [UInt8], sourceAddress: String?,
        ignored: String? = nil, arrival: EventArrival = .delivery
    ) {
        self.arrival = arrival
        self.receivedAt = receivedAt
        self.endpoint = endpoint
        self.event = event
        self.body = body
        self.fingerprint = EventFingerprint(endpoint: endpoint, body: body)
        self.sourceAddress = sourceAddress
        self.ignored = ignored
    }
}

/// What storing a delivery did.
public struct IngestResult: Sendable, Equatable {
    /// The new row's id.
    public var eventID: Int64
    /// The original's id when this delivery is a duplicate.
    public var duplicateOf: Int64?
    /// The plan written with the event, in the transaction that committed: what the insert's
    /// `plan` function returned for it. ``EventPlan/empty`` for a duplicate, which plans nothing.
    public var plan: EventPlan

    public init(eventID: Int64, duplicateOf: Int64?, plan: EventPlan) {
        self.eventID = eventID
        self.duplicateOf = duplicateOf
        self.plan = plan
    }

    /// How many jobs were planned with it.
    public var planned: Int { plan.jobs.count }

    /// Whether the delivery repeats an earlier one inside the dedup window.
    public var isDuplicate: Bool { duplicateOf != nil }
}

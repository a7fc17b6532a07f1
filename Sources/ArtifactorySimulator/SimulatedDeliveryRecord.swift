import Foundation

/// One record of the simulated webhook troubleshooting store: one attempt to deliver one event to
/// one webhook, in JFrog's "Webhooks Troubleshooting Data Format" (`timestamp`, `elapsed_millis`,
/// `errors`, `request`, `response`, `event`).
public struct SimulatedDeliveryRecord: Sendable, Hashable {
    /// When the handling started, Unix milliseconds.
    public var timestamp: Int64
    /// The webhook's subscription key.
    public var subscriptionKey: String
    /// The URL the body was sent to (`request.url`; the stream's `target` filter).
    public var targetURL: String
    /// The exact body sent (`request.payload`).
    public var payload: String
    /// The receiver's status; `nil` when none answered (a connection error).
    public var responseStatus: Int?
    /// What went wrong; empty for a success.
    public var errors: [String]
    /// Artifactory's id of the event (a ULID in Artifactory), the same on every record of it.
    public var eventID: String
    /// The event's domain and type, as the record's `event` member carries them.
    public var domain: String
    public var eventType: String
    /// Retries made before this record was written.
    public var retriesAttempted: Int

    public init(
        timestamp: Int64, subscriptionKey: String, targetURL: String, payload: String, responseStatus: Int?,
        errors: [String], eventID: String, domain: String = "artifact", eventType: String = "deployed",
        retriesAttempted: Int = 0
    ) {
        self.timestamp = timestamp
        self.subscriptionKey = subscriptionKey
        self.targetURL = targetURL
        self.payload = payload
        self.responseStatus = responseStatus
        self.errors = errors
        self.eventID = eventID
        self.domain = domain
        self.eventType = eventType
        self.retriesAttempted = retriesAttempted
    }

    /// A failed delivery: the receiver answered `status` (or nobody answered when `nil`).
    public static func failed(
        timestamp: Int64, subscriptionKey: String, targetURL: String, payload: String, status: Int? = 503,
        eventID: String
    ) -> SimulatedDeliveryRecord {
        SimulatedDeliveryRecord(
            timestamp: timestamp, subscriptionKey: subscriptionKey, targetURL: targetURL, payload: payload,
            responseStatus: status,
            errors: [status == nil ? "error executing webhook: connection refused" : "unexpected status \(status!)"],
            eventID: eventID, retriesAttempted: 2)
    }

    /// The record as the stream carries it.
    var json: [String: Any] {
        var response: [String: Any] = ["headers": [String: String](), "body": ""]
        if let responseStatus { response["status"] = responseStatus }
        return [
            "timestamp": timestamp,
            "elapsed_millis": 12,
            "errors": errors,
            "request": [
                "method": "POST", "url": targetURL, "headers": ["Content-Type": "application/json"],
                "payload": payload, "retries_attempted": retriesAttempted,
            ] as [String: Any],
            "response": response,
            "event": [
                "id": eventID, "subscription_key": subscriptionKey, "domain": domain, "event_type": eventType,
                "data": Self.data(of: payload),
            ],
        ]
    }

    /// The payload's `data` member as JSON text (`event.data` is a string); `{}` when there is none.
    private static func data(of payload: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
            let data = object["data"],
            let text = try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        else { return "{}" }
        return String(decoding: text, as: UTF8.self)
    }
}

/// One record of Artifactory's webhook troubleshooting store: one attempt to deliver one event to
/// one webhook, with the exact body it sent (JFrog: "Webhooks Troubleshooting Data Format").
///
/// Every field is read leniently: a record without a member has `nil` (or no errors) there, so a
/// newer Artifactory's records still read.
public struct TroubleshootingRecord: Sendable, Hashable {
    /// When the handling started, Unix milliseconds (`timestamp`).
    public var timestamp: Int64?
    /// The webhook's subscription key (`event.subscription_key`).
    public var subscriptionKey: String?
    /// Artifactory's id of the event (`event.id`), the same on every record of that event.
    public var eventID: String?
    /// The exact body Artifactory sent (`request.payload`), as UTF-8 bytes.
    public var payload: [UInt8]?
    /// The receiver's status (`response.status`); `nil` when none answered.
    public var responseStatus: Int?
    /// What went wrong (`errors`), empty for a success.
    public var errors: [String]

    public init(
        timestamp: Int64?, subscriptionKey: String?, eventID: String?, payload: [UInt8]?, responseStatus: Int?,
        errors: [String]
    ) {
        self.timestamp = timestamp
        self.subscriptionKey = subscriptionKey
        self.eventID = eventID
        self.payload = payload
        self.responseStatus = responseStatus
        self.errors = errors
    }

    /// Reads the members of one record object.
    public init(_ value: JSONValue) {
        let event = value["event"]
        let request = value["request"]
        self.init(
            timestamp: value["timestamp"]?.int64Value,
            subscriptionKey: event?["subscription_key"]?.stringValue,
            eventID: event?["id"]?.stringValue,
            payload: request?["payload"]?.stringValue.map { Array($0.utf8) },
            responseStatus: value["response"]?["status"]?.int64Value.map { Int(clamping: $0) },
            errors: value["errors"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Whether the receiver took the delivery: a 2xx answer and no error.
    public var delivered: Bool {
        guard let responseStatus else { return false }
        return (200..<300).contains(responseStatus) && errors.isEmpty
    }
}

import Foundation

/// A webhook subscription as the Event API lists it: what `subscriptions plan` compares the
/// config against. Only the members the daemon manages are kept; the handler's secret only as
/// "is it the configured one", never its text.
package struct RemoteSubscription: Sendable, Equatable {
    var key: String
    var description: String
    var enabled: Bool
    var domain: String
    var eventTypes: [String]
    /// `criteria` members that are flags or lists of texts, by the API's name.
    var criteria: [String: DaemonConfig.Criterion.Value]
    /// How many handlers the subscription has; the daemon manages exactly one.
    var handlerCount: Int
    var handlerType: String?
    var url: String?
    var proxy: String?
    var useSecretForSigning: Bool
    /// The first handler's secret as Artifactory answered it; `nil` when it is not given back
    /// (the usual case: it is write-only) or is masked.
    var secret: String?

    /// Decodes one subscription object; `nil` when it has no key.
    package init?(json: [String: Any]) {
        guard let key = json["key"] as? String, !key.isEmpty else { return nil }
        self.key = key
        description = json["description"] as? String ?? ""
        enabled = json["enabled"] as? Bool ?? false
        let filter = json["event_filter"] as? [String: Any] ?? [:]
        domain = filter["domain"] as? String ?? ""
        eventTypes = filter["event_types"] as? [String] ?? []
        var criteria: [String: DaemonConfig.Criterion.Value] = [:]
        for (name, value) in filter["criteria"] as? [String: Any] ?? [:] {
            if let flag = value as? Bool {
                criteria[name] = .flag(flag)
            } else if let list = value as? [String] {
                criteria[name] = .list(list)
            }
        }
        self.criteria = criteria
        let handlers = json["handlers"] as? [[String: Any]] ?? []
        handlerCount = handlers.count
        let handler = handlers.first ?? [:]
        handlerType = handler["handler_type"] as? String
        url = handler["url"] as? String
        proxy = (handler["proxy"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        useSecretForSigning = handler["use_secret_for_signing"] as? Bool ?? false
        secret = (handler["secret"] as? String).flatMap { text in
            text.isEmpty || text.allSatisfy { $0 == "*" } ? nil : text
        }
    }

    /// The subscriptions of a `GET event/api/v1/subscriptions` answer; `nil` when it is not a
    /// JSON array of objects.
    static func list(from body: [UInt8]) -> [RemoteSubscription]? {
        guard let array = (try? JSONSerialization.jsonObject(with: Data(body))) as? [Any] else { return nil }
        var subscriptions: [RemoteSubscription] = []
        for element in array {
            guard let object = element as? [String: Any], let subscription = RemoteSubscription(json: object) else {
                return nil
            }
            subscriptions.append(subscription)
        }
        return subscriptions
    }
}

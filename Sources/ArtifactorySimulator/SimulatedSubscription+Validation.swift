import Foundation

/// Reading a subscription body as Create and Update take it, refusing what the Event API refuses
/// (400 "Bad input"): no key, a domain or event type outside the documented table, no handler, a
/// handler that is not a `webhook` with an http(s) URL.
extension SimulatedSubscription {
    /// The documented domains and their event types (Create a New Webhook Subscription's table).
    static let eventTypes: [String: Set<String>] = [
        "artifact": ["deployed", "deleted", "moved", "copied", "cached"],
        "artifact_property": ["added", "deleted"],
        "docker": ["pushed", "deleted", "promoted"],
        "build": ["uploaded", "deleted", "promoted"],
        "release_bundle": ["created", "signed", "deleted"],
        "distribution": [
            "distribute_started", "distribute_completed", "distribute_aborted", "distribute_failed", "delete_started",
            "delete_completed", "delete_failed",
        ],
        "artifactory_release_bundle": ["received", "delete_started", "delete_completed", "delete_failed"],
        "destination": ["received", "delete_started", "delete_completed", "delete_failed"],
        "user": ["locked"],
        "release_bundle_v2": ["release_bundle_v2_started", "release_bundle_v2_failed", "release_bundle_v2_completed"],
        "release_bundle_v2_promotion": [
            "release_bundle_v2_promotion_started", "release_bundle_v2_promotion_completed",
            "release_bundle_v2_promotion_failed",
        ],
        "artifact_lifecycle": ["archive", "restore"],
    ]

    /// Reads `body`; `key` is the key of the URL (Update), which the body may repeat but not change.
    init(body: [String: Any], key pathKey: String?) throws(SimulatorError) {
        let key = (body["key"] as? String) ?? pathKey ?? ""
        guard !key.isEmpty, !key.contains(" ") else { throw .badRequest("Bad input: key is mandatory, without spaces") }
        if let pathKey, key != pathKey { throw .badRequest("Bad input: the key cannot be changed") }
        guard let filter = body["event_filter"] as? [String: Any], let domain = filter["domain"] as? String,
            let known = Self.eventTypes[domain]
        else {
            throw .badRequest("Bad input: event_filter.domain must be one of the supported domains")
        }
        guard let types = filter["event_types"] as? [String], !types.isEmpty, types.allSatisfy(known.contains) else {
            throw .badRequest("Bad input: event_filter.event_types must list event types of domain \(domain)")
        }
        var criteriaJSON: Data?
        if let criteria = filter["criteria"] {
            guard criteria is [String: Any] else {
                throw .badRequest("Bad input: event_filter.criteria must be an object")
            }
            criteriaJSON = try? JSONSerialization.data(withJSONObject: criteria, options: [.sortedKeys])
        }
        guard let handlerList = body["handlers"] as? [[String: Any]], !handlerList.isEmpty else {
            throw .badRequest("Bad input: at least one handler is mandatory")
        }
        var handlers: [Handler] = []
        for object in handlerList {
            guard (object["handler_type"] as? String ?? "webhook") == "webhook" else {
                throw .badRequest("Bad input: handler_type must be webhook")
            }
            guard let url = object["url"] as? String, let parsed = URL(string: url),
                ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil
            else {
                throw .badRequest("Bad input: a handler's url must be an http or https URL")
            }
            let headers = (object["custom_http_headers"] as? [[String: Any]] ?? []).compactMap { header in
                (header["name"] as? String).map { Header(name: $0, value: header["value"] as? String ?? "") }
            }
            handlers.append(
                Handler(
                    url: url, secret: (object["secret"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                    useSecretForSigning: object["use_secret_for_signing"] as? Bool ?? false,
                    proxy: (object["proxy"] as? String).flatMap { $0.isEmpty ? nil : $0 }, customHeaders: headers))
        }
        self.init(
            key: key, description: body["description"] as? String ?? "", enabled: body["enabled"] as? Bool ?? true,
            domain: domain, eventTypes: types, criteriaJSON: criteriaJSON, handlers: handlers)
    }
}

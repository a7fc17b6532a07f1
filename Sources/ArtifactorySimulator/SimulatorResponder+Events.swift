import Foundation
import HTTPTypes
import Hummingbird

/// The Event API's webhook subscriptions at the platform root (`/event/api/v1/subscriptions`), as
/// JFrog's REST API pages describe them: list, get, create, update, delete and test.
extension SimulatorResponder {
    func eventRoute(_ call: SimulatorCall) throws(SimulatorError) -> Response {
        let segments = call.target.segments
        if segments == ["event", "api", "v1", "troubleshooting"] { return try troubleshootingRoute(call) }
        guard segments.count >= 4, Array(segments.prefix(4)) == ["event", "api", "v1", "subscriptions"] else {
            throw .notFound("Not Found")
        }
        switch (call.method, segments.count) {
        case (.get, 4):
            let all = state.withStorage { $0.subscriptions }
            return .json(all.map(\.json))
        case (.post, 4):
            let subscription = try SimulatedSubscription(body: call.jsonObject(), key: nil)
            try state.withStorage { storage throws(SimulatorError) in
                guard !storage.subscriptions.contains(where: { $0.key == subscription.key }) else {
                    throw SimulatorError(.conflict, "Subscription \(subscription.key) already exists")
                }
                storage.subscriptions.append(subscription)
            }
            return .json(subscription.json, status: .created)
        case (.get, 5):
            return .json(try subscription(segments[4]).json)
        case (.put, 5):
            let updated = try SimulatedSubscription(body: call.jsonObject(), key: segments[4])
            try state.withStorage { storage throws(SimulatorError) in
                guard let index = storage.subscriptions.firstIndex(where: { $0.key == updated.key }) else {
                    throw Self.noSubscription(updated.key)
                }
                storage.subscriptions[index] = updated
            }
            return .empty()
        case (.delete, 5):
            let key = segments[4]
            try state.withStorage { storage throws(SimulatorError) in
                guard let index = storage.subscriptions.firstIndex(where: { $0.key == key }) else {
                    throw Self.noSubscription(key)
                }
                storage.subscriptions.remove(at: index)
            }
            return .empty()
        default:
            throw .notFound("Not Found")
        }
    }

    /// Test Webhook Subscription: sends the documented sample event of the subscription's domain
    /// and first event type to each handler (signed, with its custom headers; no retry) and answers
    /// 200 with a report either way, as the page says; the failure wording is the simulator's.
    func testSubscription(_ call: SimulatorCall) async throws(SimulatorError) -> Response {
        let subscription = try SimulatedSubscription(body: call.jsonObject(), key: nil)
        let event = SimulatedWebhookEvent.sample(domain: subscription.domain, eventType: subscription.eventTypes[0])
        let body = event.body(subscriptionKey: subscription.key, origin: state.withStorage { $0.origin })
        var failures: [String] = []
        for handler in subscription.handlers {
            let outcome = await WebhookPoster.post(body, to: handler, timeout: configuration.webhookTimeout)
            state.withStorage { storage in
                storage.sentWebhooks.append(
                    SentWebhook(
                        eventID: "test", subscriptionKey: subscription.key, url: handler.url, body: body,
                        status: outcome.status, attempts: 1))
            }
            if let error = outcome.error { failures.append(error) }
        }
        guard failures.isEmpty else {
            return .json(["result": "failure", "message": "Test failed: " + failures.joined(separator: "; ")])
        }
        return .json(["result": "success", "message": "Test is successful"])
    }

    private func subscription(_ key: String) throws(SimulatorError) -> SimulatedSubscription {
        guard let found = state.withStorage({ $0.subscriptions.first { $0.key == key } }) else {
            throw Self.noSubscription(key)
        }
        return found
    }

    private static func noSubscription(_ key: String) -> SimulatorError {
        .notFound("Subscription \(key) does not exist")
    }
}

import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Logging
import Storage

/// `subscriptions test KEY`: asks Artifactory to send its test event for a configured subscription
/// (Test Webhook Subscription, with the body `apply` sends plus a header carrying a random test
/// id) and waits for the daemon to note that the event arrived and whether it verified (see
/// ``IngestController/receiveTest(_:id:context:)``). Nothing is stored as an event.
public struct SubscriptionTestRun: Sendable {
    /// What became of the test event.
    public enum Arrival: Sendable, Equatable {
        /// It arrived on the endpoint and its signature (or token) verified.
        case verified(eventType: String)
        /// It arrived, and the endpoint's secrets did not verify it.
        case notVerified
        /// Nothing arrived in time.
        case missing
    }

    /// Artifactory's `result` and `message`, control characters escaped.
    public var result: String
    public var message: String
    public var arrival: Arrival
    public var subscription: String
    public var endpoint: String
    public var url: String

    /// Whether the test passed: Artifactory reports success and the event arrived verified.
    public var passed: Bool {
        if result == "success", case .verified = arrival { return true }
        return false
    }

    /// The lines the command prints; the secret is never among them.
    public var text: String {
        var lines = ["Artifactory: \(result): \(message)"]
        switch arrival {
        case .verified(let eventType):
            lines.append(
                "arrived on endpoint \(endpoint) and verified (\(eventType.isEmpty ? "no event type" : eventType)); "
                    + "the test event was not stored as an event")
        case .notVerified:
            lines.append(
                "arrived on endpoint \(endpoint) but did not verify: the secret Artifactory holds for \(subscription) "
                    + "is not one of the endpoint's, or use_secret_for_signing does not match its auth; "
                    + "run `artifactory-hooks subscriptions apply` to send the endpoint's secret")
        case .missing:
            lines.append(
                "no test event arrived at \(url) within the wait: check that Artifactory reaches that URL "
                    + "(subscriptions.public_url), that the daemon runs with this store, and Artifactory's "
                    + "webhook troubleshooting page")
        }
        return lines.joined(separator: "\n")
    }

    /// Runs the test for the configured subscription `key`, waiting up to `wait` for the event;
    /// `nil` when the config has no such subscription.
    public static func run(
        config: DaemonConfig, key: String, store: any EventStore, wait: Duration = .seconds(15),
        clock: any DaemonClock = SystemClock()
    ) async throws -> SubscriptionTestRun? {
        guard let wanted = config.subscriptions.webhooks.first(where: { $0.key == key }),
            let secret = SubscriptionSync.secrets(config)[key]
        else { return nil }
        let id = Digest.hex((0..<16).map { _ in UInt8.random(in: 0...255) })
        let now = clock.now
        try await store.beginSubscriptionTest(
            id: id, subscription: key, endpoint: wanted.endpoint, now: now,
            expires: now.addingTimeInterval(wait.timeInterval + 60))
        do {
            let run = try await test(wanted, secret: secret, id: id, config: config, store: store, wait: wait)
            try? await store.endSubscriptionTest(id: id)
            return run
        } catch {
            try? await store.endSubscriptionTest(id: id)
            throw error
        }
    }

    private static func test(
        _ wanted: DaemonConfig.Subscription, secret: String, id: String, config: DaemonConfig,
        store: any EventStore, wait: Duration
    ) async throws -> SubscriptionTestRun {
        let (result, message) = try await SubscriptionSync.withClient(config) {
            client throws(ArtifactoryAPIError) in
            let request = ArtifactoryRequest.testSubscription(
                body: SubscriptionBody.json(wanted, secret: secret, testID: id))
            let response = try await client.execute(request)
            guard let answer = try? JSONParser.parse(response.body), let result = answer["result"]?.stringValue else {
                throw ArtifactoryAPIError(
                    code: .invalidResponse, status: response.status, messages: ["the test answer has no result"],
                    request: request.description)
            }
            return (ControlEscaping.escaped(result), ControlEscaping.escaped(answer["message"]?.stringValue ?? ""))
        }
        var arrival = Arrival.missing
        let deadline = ContinuousClock.now + wait
        while true {
            if let test = try await store.subscriptionTest(id: id), test.arrivedAt != nil {
                arrival = test.verified == true ? .verified(eventType: test.eventType ?? "") : .notVerified
                break
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return SubscriptionTestRun(
            result: result, message: message, arrival: arrival, subscription: wanted.key, endpoint: wanted.endpoint,
            url: wanted.url)
    }
}

import Foundation
import ServiceLifecycle

/// Sends the webhooks the simulator's changes queue (``SimulatorStorage/emit(_:)``), a few at a
/// time, each with its own retries; a delivery that still fails is written to the troubleshooting
/// store with its exact body, as Artifactory keeps failed executions, and with
/// ``ArtifactorySimulator/Configuration/recordSuccessfulDeliveries`` successes too (debug mode).
struct WebhookDispatcher: Service {
    let state: SimulatorState
    let configuration: ArtifactorySimulator.Configuration

    /// Webhooks sent at once.
    static let concurrency = 8

    func run() async throws {
        let (wakeUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        state.withStorage { $0.webhookWakeUp = { continuation.yield() } }
        defer { state.withStorage { $0.webhookWakeUp = nil } }
        continuation.yield()
        for await _ in wakeUps.cancelOnGracefulShutdown() {
            let (batch, origin) = state.withStorage { storage in
                let batch = storage.webhookOutbox
                storage.webhookOutbox.removeAll()
                storage.webhooksInFlight += batch.count
                return (batch, storage.origin)
            }
            await withTaskGroup(of: Void.self) { group in
                for (index, delivery) in batch.enumerated() {
                    if index >= Self.concurrency { await group.next() }
                    group.addTask { await send(delivery, origin: origin) }
                }
            }
        }
    }

    private func send(_ delivery: SimulatedWebhookDelivery, origin: String) async {
        let body = delivery.event.body(subscriptionKey: delivery.subscriptionKey, origin: origin)
        let (seconds, attoseconds) = configuration.clockOffset.components
        let offset = Double(seconds) + Double(attoseconds) / 1e18
        let started = Int64((Date().timeIntervalSince1970 + offset) * 1000)
        var outcome = WebhookPoster.Outcome(status: nil, error: nil)
        var attempts = 0
        for delay in [Duration.zero] + configuration.webhookRetryDelays {
            if delay > .zero { try? await Task.sleep(for: delay) }
            attempts += 1
            outcome = await WebhookPoster.post(body, to: delivery.handler, timeout: configuration.webhookTimeout)
            if outcome.delivered { break }
        }
        let sent = SentWebhook(
            eventID: delivery.eventID, subscriptionKey: delivery.subscriptionKey, url: delivery.handler.url,
            body: body, status: outcome.status, attempts: attempts)
        let record = SimulatedDeliveryRecord(
            timestamp: started, subscriptionKey: delivery.subscriptionKey, targetURL: delivery.handler.url,
            payload: body, responseStatus: outcome.status, errors: outcome.error.map { [$0] } ?? [],
            eventID: delivery.eventID, domain: delivery.event.domain, eventType: delivery.event.eventType,
            retriesAttempted: attempts - 1)
        let keep = !outcome.delivered || configuration.recordSuccessfulDeliveries
        state.withStorage { storage in
            if keep { storage.recordDelivery(record) }
            storage.sentWebhooks.append(sent)
            storage.webhooksInFlight -= 1
        }
    }
}

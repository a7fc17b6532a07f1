import Foundation

extension SimulatorStorage {
    /// Queues `event` for every enabled subscription that receives it (each of its handlers), and
    /// wakes the dispatcher. Nothing is queued when no subscription receives it.
    mutating func emit(_ event: SimulatedWebhookEvent) {
        let receivers = subscriptions.filter { $0.receives(event) }
        guard !receivers.isEmpty else { return }
        nextWebhookEventID += 1
        // A ULID's length and alphabet, counting up, so ids sort in the order of the changes.
        let eventID =
            "01SXM" + String(repeating: "0", count: 21 - String(nextWebhookEventID).count)
            + String(nextWebhookEventID)
        for subscription in receivers {
            for handler in subscription.handlers {
                webhookOutbox.append(
                    SimulatedWebhookDelivery(
                        eventID: eventID, subscriptionKey: subscription.key, handler: handler, event: event))
            }
        }
        webhookWakeUp?()
    }

    /// Deploy Artifact: stores the file and sends `artifact.deployed`.
    mutating func deploy(repo: String, path: String, content: [UInt8], now: Date) throws(SimulatorError)
        -> SimulatedItem
    {
        try putFile(repo: repo, path: path, size: content.count, properties: [:], now: now, content: content)
        let item = try item(repo, path)
        emit(.artifact("deployed", item))
        return item
    }
}

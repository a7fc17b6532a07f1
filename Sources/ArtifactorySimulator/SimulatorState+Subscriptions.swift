extension SimulatorState {
    /// The Event API's webhook subscriptions, in the order they were created.
    public var subscriptions: [SimulatedSubscription] {
        withStorage { $0.subscriptions }
    }

    /// Adds `subscription` as if created through the Event API, replacing one with its key.
    public func addSubscription(_ subscription: SimulatedSubscription) {
        withStorage { storage in
            if let index = storage.subscriptions.firstIndex(where: { $0.key == subscription.key }) {
                storage.subscriptions[index] = subscription
            } else {
                storage.subscriptions.append(subscription)
            }
        }
    }
}

import Storage

/// Runs a PostgreSQL store's pool in a task of the test's until ``stop()``: what the daemon's
/// `StorePool` service and the commands' `withPool` do, for a test that holds a store across
/// several steps.
struct TestPool: Sendable {
    private let task: Task<Void, Never>

    init(_ store: PostgresEventStore) {
        task = Task { await store.run() }
    }

    /// Stops the pool and waits until its connections are closed.
    func stop() async {
        task.cancel()
        await task.value
    }
}

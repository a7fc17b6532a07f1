import PostgresNIO

extension PostgresEventStore {
    /// Runs the connection pool (postgres-nio's `PostgresClient.run()`) until the task is cancelled
    /// or a graceful shutdown reaches it; its connections close when it returns. Calls made before
    /// it starts wait for it. Runs once per store: the daemon runs it as a service in its group,
    /// stopped after everything that uses the store.
    public func run() async {
        await client.run()
    }

    /// Runs `body` while the pool runs, then stops the pool: the scope of a command's store, or of a
    /// daemon's migrations. Uses up the store's one ``run()``.
    public func withPool<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}

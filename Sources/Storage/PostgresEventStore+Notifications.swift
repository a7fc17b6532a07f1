import Logging
import PostgresNIO

extension PostgresEventStore {
    /// `LISTEN`s on the jobs channel on one pooled connection, held while it listens (count it in
    /// `pool_size`). A lost connection is logged and replaced after a second; the wake-up on every
    /// new start covers what was announced meanwhile.
    public func watchJobs(_ onJobs: @escaping @Sendable () -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.jobsChannel) { notifications in
                        logger.debug("Listening for new jobs", metadata: ["store.channel": "\(Self.jobsChannel)"])
                        onJobs()
                        for try await _ in notifications { onJobs() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Lost the connection that listens for new jobs; reconnecting",
                    metadata: ["error": .string(StorageError.reason(of: error))])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

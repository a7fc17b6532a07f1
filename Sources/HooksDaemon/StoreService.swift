import Logging
import ServiceLifecycle
import Storage

/// Keeps the store open while the daemon runs and closes it last on shutdown (services stop in
/// reverse order, so the HTTP server has stopped accepting before this returns).
struct StoreService: Service {
    let store: any EventStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("Event store closed")
        } catch {
            logger.error("Event store did not close cleanly", metadata: ["error": "\(error)"])
        }
    }
}

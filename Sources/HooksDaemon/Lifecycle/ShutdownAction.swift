import Logging
import ServiceLifecycle

/// Runs an action when the daemon shuts down (closing the store, the HTTP client). Services stop
/// in reverse order, so one listed first runs its action last.
struct ShutdownAction: Service {
    let name: String
    let logger: Logger
    let action: @Sendable () async throws -> Void

    init(name: String, logger: Logger, action: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.logger = logger
        self.action = action
    }

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await action()
            logger.info("Closed", metadata: ["component": .string(name)])
        } catch {
            logger.error("Did not close cleanly", metadata: ["component": .string(name), "error": "\(error)"])
        }
    }
}

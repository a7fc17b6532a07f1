import Logging
import ServiceLifecycle
import Storage

/// Wakes the worker when another process makes jobs due: another daemon on a shared PostgreSQL
/// store planned them or handed them back, or `jobs retry` ran. The store says how it hears them
/// (`LISTEN/NOTIFY` for PostgreSQL; nothing for SQLite, where the worker's polling covers
/// `jobs retry`). Stops on graceful shutdown.
struct JobsListener: Service {
    let store: any JobQueue
    let signal: WorkerSignal

    func run() async throws {
        let signal = self.signal
        try await cancelWhenGracefulShutdown {
            try await store.watchJobs { signal.wake() }
        }
        // A store that cannot hear other processes returns at once; a service that ends early
        // would stop the whole daemon, so it waits for the shutdown like the others.
        try? await gracefulShutdown()
    }
}

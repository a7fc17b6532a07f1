import ServiceLifecycle
import Storage

/// Runs a PostgreSQL store's connection pool as a service of the daemon's group: first in the
/// list, so it stops last, after everything that calls the store. Until it starts, calls wait.
struct StorePool: Service {
    let store: PostgresEventStore

    func run() async throws {
        await store.run()
    }
}

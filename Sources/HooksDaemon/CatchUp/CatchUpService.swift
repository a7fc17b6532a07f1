import Foundation
import ServiceLifecycle

/// Runs ``CatchUp`` once at start-up and then every `catch_up.interval`, until shutdown. A run
/// never throws: a store Artifactory does not have is a warning, and the next run tries again.
struct CatchUpService: Service {
    let catchUp: CatchUp
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            _ = await catchUp.run()
            do {
                try await cancelWhenGracefulShutdown { try await catchUp.clock.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

import Foundation
import ServiceLifecycle

/// Runs ``CatchUp`` once at start-up and then every `catch_up.interval`, until shutdown. A run
/// never throws: a store Artifactory does not have is a warning, and the next run tries again.
/// A subscription whose lease another owner held (another daemon, or this host's daemon killed
/// mid-run) is tried again as soon as that lease can have ended, when that is before the interval.
struct CatchUpService: Service {
    let catchUp: CatchUp
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let reports = await catchUp.run()
            let busy = reports.contains { $0.state == .busy }
            let pause = busy ? min(interval, CatchUp.lease + .seconds(1)) : interval
            do {
                try await cancelWhenGracefulShutdown { try await catchUp.clock.sleep(for: pause) }
            } catch {
                return
            }
        }
    }
}

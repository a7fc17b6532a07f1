public import Logging
public import ServiceLifecycle
public import Storage

/// The daemon's side of systemd's service protocol while it runs: `WATCHDOG=1` every
/// ``SystemdNotifier/watchdogInterval`` (half of `WatchdogSec=`), and `STOPPING=1` when a graceful
/// shutdown begins.
///
/// Each ping first proves that the store takes a write (``EventStore/checkWritable()``, the check
/// behind `/readyz`). While it does not, the ping is withheld and the reason logged, so systemd
/// restarts a daemon that answers HTTP but can no longer store events. A store that hangs holds the
/// loop up the same way.
///
/// Listed after the other services, it is told to stop right after the HTTP listener, and keeps
/// pinging until then.
public struct SystemdWatchdog: Service {
    let notifier: SystemdNotifier
    let store: any StoreMaintenance
    let logger: Logger

    /// - Parameters:
    ///   - notifier: where the pings and `STOPPING=1` go; its ``SystemdNotifier/watchdogInterval`` sets
    ///     the pace (no pings when nil).
    ///   - store: checked before every ping.
    ///   - logger: for a withheld ping and its recovery.
    public init(notifier: SystemdNotifier, store: any StoreMaintenance, logger: Logger) {
        self.notifier = notifier
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        if let interval = notifier.watchdogInterval {
            logger.info(
                "systemd watchdog on", metadata: ["systemd.watchdog_interval_ms": "\(interval.milliseconds)"])
            // Cancelled at graceful shutdown, so a sleeping loop does not hold the stop up.
            await cancelWhenGracefulShutdown { await pingUntilCancelled(every: interval) }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping(status: "Stopping: finishing requests and draining the worker")
    }

    /// Checks the store and pings, every `interval`, until the task is cancelled.
    private func pingUntilCancelled(every interval: Duration) async {
        var withholding = false
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await store.checkWritable()
                notifier.watchdog()
                if withholding {
                    withholding = false
                    logger.notice("The event store takes writes again; systemd watchdog pings resume")
                }
            } catch {
                if Task.isCancelled { return }
                withholding = true
                logger.error(
                    "The event store does not take writes; the systemd watchdog ping is withheld, so systemd restarts the daemon if this lasts",
                    metadata: ["error": "\(error)"])
            }
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    fileprivate var milliseconds: Int64 {
        components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
    }
}

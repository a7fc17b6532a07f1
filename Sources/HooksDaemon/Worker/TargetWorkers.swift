import ArtifactoryAPI
import Logging
import ServiceLifecycle
import Storage

/// One ``JobWorker`` per outbound target: it leases only that target's jobs (subject
/// `target:NAME|…`) and runs at most the target's `concurrency` calls, so a slow receiver holds
/// its own slots and never the Artifactory worker's. Each has its own wake-up signal, woken with
/// `signal` (ingest, `jobs retry`, other daemons). The client's shutdown is listed before its
/// worker, so it stops after the worker drained.
func targetWorkers(
    _ config: DaemonConfig, store: any EventStore, signal: WorkerSignal, metrics: DaemonMetrics, logger: Logger,
    clock: any DaemonClock
) throws -> [any Service] {
    var services: [any Service] = []
    for target in config.targets {
        let client = try TargetClient(configuration: target.client, logger: logger)
        services.append(
            ShutdownAction(name: "target \(target.name) client", logger: logger) { try await client.shutdown() })
        var settings = config.worker
        settings.concurrency = target.concurrency
        let own = WorkerSignal()
        signal.forward(to: own)
        var worker = JobWorker(
            store: store, executor: TargetActionExecutor(client: client, clock: clock, metrics: metrics), signal: own,
            settings: settings, metrics: metrics, logger: logger, clock: clock)
        worker.subjects = .target(target.name)
        services.append(worker)
    }
    return services
}

import ArtifactoryAPI
public import Foundation
public import Logging
public import Storage

extension CatchUp {
    /// Catches the config's subscriptions up once against `store`, as the daemon does, for the
    /// `catch-up` command: the same endpoints, rules and loop guard. Jobs it plans are run by the
    /// daemon's worker. Throws when the config has no `artifactory` section or no subscription.
    public static func runOnce(
        config: DaemonConfig, store: any EventStore, since: Date?, dryRun: Bool, logger: Logger
    ) async throws -> [CatchUpReport] {
        guard let artifactory = config.artifactory else {
            throw CatchUpSetupError(message: "the config has no artifactory section to read failed deliveries from")
        }
        guard !config.subscriptions.webhooks.isEmpty else {
            throw CatchUpSetupError(message: "the config has no subscriptions.webhooks to catch up")
        }
        let client = try ArtifactoryClient(configuration: artifactory.clientConfiguration, logger: logger)
        let metrics = DaemonMetrics.none
        let planner = EventPlanner(
            maxHops: config.worker.maxHops, defaultProject: artifactory.project, defaultMode: config.rulesMode,
            metrics: metrics, logger: logger)
        let ingest = IngestController(
            endpoints: config.endpoints, store: store, rules: ActiveRules(try loadRules(config, logger: logger)),
            ingest: config.ingest, planner: planner, backlog: Backlog(limit: config.worker.maxPending),
            metrics: metrics)
        let catchUp = CatchUp(
            subscriptions: config.subscriptions.webhooks, client: client, ledger: store, ingest: ingest,
            metrics: metrics, clock: SystemClock(), logger: logger)
        let reports = await catchUp.run(since: since, dryRun: dryRun)
        try? await client.shutdown()
        return reports
    }
}

/// What keeps the `catch-up` command from running.
public struct CatchUpSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

import ArtifactoryAPI
import ArtifactoryEvents
import Foundation
public import Hummingbird
public import Logging
public import Rules
import ServiceLifecycle
import Storage

/// Builds the daemon exactly as `artifactory-hooks serve` runs it; tests call the same function.
///
/// Opens the store and runs its migrations before returning, so the listener never accepts a
/// delivery it could not store.
/// Rules that do not load stop it: it never starts with fewer rules than the operator wrote.
/// Under systemd (`$NOTIFY_SOCKET`) it reports `READY=1` once the listener is bound; see
/// ``buildApplication(config:logger:notifier:)``.
public func buildApplication(config: DaemonConfig, logger: Logger) async throws -> some ApplicationProtocol {
    try await buildApplication(
        config: config, logger: logger,
        notifier: SystemdNotifier(environment: ProcessInfo.processInfo.environment, logger: logger))
}

/// Builds the daemon with an explicit systemd notifier (tests point it at their own socket).
///
/// The notifier gets `READY=1` when the listener is bound (after migrations and rules), `RELOADING=1`
/// and `READY=1` around every rules reload, `WATCHDOG=1` while the store takes writes and
/// `WatchdogSec=` is set, and `STOPPING=1` during a graceful shutdown, once the listener has stopped.
public func buildApplication(
    config: DaemonConfig, logger: Logger, notifier: SystemdNotifier
) async throws -> some ApplicationProtocol {
    let rules = ActiveRules(try loadRules(config, logger: logger))
    let store = try await openStore(config.store, logger: logger)

    let wakeWorker = WorkerSignal()

    let router = Router(context: HooksRequestContext.self)
    HealthController(store: store).addRoutes(to: router)
    IngestController(
        endpoints: config.endpoints, store: store, rules: rules, ingest: config.ingest,
        maxHops: config.worker.maxHops, jobsPlanned: { wakeWorker.wake() }
    ).addRoutes(to: router)

    // Services stop in reverse order: the listener first, then the reloader, the worker (which
    // drains), the Artifactory client, and the store last.
    var services: [any Service] = [
        ShutdownAction(name: "event store", logger: logger) { try await store.close() }
    ]
    if let artifactory = config.artifactory {
        let client = try ArtifactoryClient(configuration: artifactory.clientConfiguration, logger: logger)
        services.append(ShutdownAction(name: "Artifactory client", logger: logger) { try await client.shutdown() })
        services.append(
            JobWorker(
                store: store, executor: HTTPActionExecutor(client: client), signal: wakeWorker,
                settings: config.worker, logger: logger))
    } else if rules.current.enabledCount > 0 {
        logger.warning(
            "Rules plan Artifactory calls but the config has no artifactory section; jobs wait until it is added")
    }
    services.append(
        RulesReloader(
            directory: config.rulesDirectory, rules: rules, pollInterval: config.rulesPollInterval,
            notifier: notifier, logger: logger))
    if notifier.isEnabled {
        // Last in the list: told to stop right after the listener, so it pings until then.
        services.append(SystemdWatchdog(notifier: notifier, store: store, logger: logger))
    }

    for endpoint in config.endpoints where endpoint.auth == .none {
        logger.warning(
            "Endpoint accepts unsigned deliveries (auth: none)", metadata: ["endpoint": .string(endpoint.name)])
    }

    return Application(
        router: router,
        configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: nil),
        services: services,
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            logger.info(
                "Listening for webhooks",
                metadata: [
                    "http.address": .string(address),
                    "endpoints": .string(config.endpoints.map(\.name).joined(separator: ",")),
                ])
            // Migrations ran and rules loaded before the application was built; now the port answers.
            notifier.ready(status: "Listening on \(address); \(rules.current.rules.count) rule(s) loaded")
        },
        logger: logger
    )
}

/// Loads the configured rules directory (an empty set when none is configured).
public func loadRules(_ config: DaemonConfig, logger: Logger) throws(RulesError) -> RuleSet {
    guard let directory = config.rulesDirectory else {
        logger.info("No rules directory configured; events are stored and nothing else happens")
        return .empty
    }
    let loaded = try RuleSet.load(directory: directory)
    logger.info(
        "Rules loaded",
        metadata: [
            "rules.count": .stringConvertible(loaded.rules.count),
            "rules.enabled": .stringConvertible(loaded.enabledCount), "rules.directory": .string(directory),
        ])
    return loaded
}

/// Opens and migrates the configured store.
public func openStore(_ store: DaemonConfig.Store, logger: Logger) async throws -> any EventStore {
    switch store {
    case .sqlite(let configuration):
        let sqlite = try SQLiteEventStore(configuration: configuration)
        try await sqlite.migrate()
        logger.info(
            "Event store ready",
            metadata: [
                "store.sqlite": .string(configuration.path),
                "store.synchronous": .string(configuration.synchronous.rawValue),
            ])
        return sqlite
    }
}

import ArtifactoryAPI
import ArtifactoryEvents
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
public import Rules
import ServiceLifecycle
import Storage

/// Builds the daemon exactly as `artifactory-hooks serve` runs it; tests call the same function.
///
/// Opens the store and runs its migrations before returning, so the listener never accepts a
/// delivery it could not store.
/// Rules that do not load stop it: it never starts with fewer rules than the operator wrote.
public func buildApplication(config: DaemonConfig, logger: Logger) async throws -> some ApplicationProtocol {
    let rules = ActiveRules(try loadRules(config, logger: logger))
    let store = try await openStore(config.store, logger: logger)

    let wakeWorker = WorkerSignal()

    let router = Router(context: HooksRequestContext.self)
    HealthController(store: store).addRoutes(to: router)
    IngestController(
        endpoints: config.endpoints, store: store, rules: rules, ingest: config.ingest,
        maxHops: config.worker.maxHops, jobsPlanned: { wakeWorker.wake() },
        clientAddress: ClientAddress(trustedProxies: config.trustedProxies)
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
        services.append(JobsListener(store: store, signal: wakeWorker))
    } else if rules.current.enabledCount > 0 {
        logger.warning(
            "Rules plan Artifactory calls but the config has no artifactory section; jobs wait until it is added")
    }
    services.append(
        RulesReloader(
            directory: config.rulesDirectory, rules: rules, pollInterval: config.rulesPollInterval, logger: logger))

    var server = HTTPServerBuilder.http1()
    if let tls = config.tls {
        let certificates = try TLSCertificates(tls)
        server = try .tls(.http1(), tlsConfiguration: certificates.serverConfiguration)
        services.append(TLSReloader(certificates: certificates, logger: logger))
    }

    for endpoint in config.endpoints where endpoint.auth == .none {
        logger.warning(
            "Endpoint accepts unsigned deliveries (auth: none)", metadata: ["endpoint": .string(endpoint.name)])
    }

    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: nil),
        services: services,
        onServerRunning: { channel in
            logger.info(
                "Listening for webhooks",
                metadata: [
                    "http.address": .string(
                        channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"),
                    "endpoints": .string(config.endpoints.map(\.name).joined(separator: ",")),
                    "http.tls": .stringConvertible(config.tls != nil),
                ])
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
    case .postgres(let configuration):
        let postgres = PostgresEventStore(configuration: configuration, logger: logger)
        do {
            try await postgres.migrate()
        } catch {
            try? await postgres.close()
            throw error
        }
        let schema = (try? await postgres.schemaVersions().last) ?? "?"
        logger.info(
            "Event store ready",
            metadata: [
                "store.postgres": .string(configuration.description),
                "store.tls": .string(configuration.tls.rawValue),
                "store.pool_size": .stringConvertible(configuration.poolSize),
                "store.schema": .string(schema),
            ])
        return postgres
    }
}

import ArtifactoryAPI
import ArtifactoryEvents
import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
public import NIOCore
public import Prometheus
public import Rules
import ServiceLifecycle
import Storage
import YAMLDiagnostics

/// Builds the daemon exactly as `artifactory-hooks serve` runs it; tests call the same function.
///
/// Opens the store and runs its migrations before returning, so the listener never accepts a
/// delivery it could not store.
/// Rules that do not load stop it: it never starts with fewer rules than the operator wrote.
///
/// Under systemd (`$NOTIFY_SOCKET`) the notifier gets `READY=1` when the listener is bound (after
/// migrations and rules), `RELOADING=1` and `READY=1` around every reload, `WATCHDOG=1` while the
/// store takes writes and `WatchdogSec=` is set, and `STOPPING=1` during a graceful shutdown, once
/// the listener has stopped.
///
/// - Parameters:
///   - metrics: the registry `/metrics` serves and the daemon's metrics go to. The binary passes
///     the one it bootstrapped `MetricsSystem` with; each test gets its own by default.
///   - backlogInterval: how often the backlog is read and deferred events are planned, and the
///     store's size sampled (`store.max_bytes`).
///   - notifier: where systemd notifications go; `nil` reads `$NOTIFY_SOCKET` (tests pass their own).
///   - onAdminListening: called with the admin listener's bound address (tests bind port 0).
///   - clock: the time the worker and the retention service read and wait on (tests pass one they
///     advance).
public func buildApplication(
    config: DaemonConfig, logger: Logger, metrics registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    backlogInterval: Duration = .seconds(1), notifier: SystemdNotifier? = nil, clock: any DaemonClock = SystemClock(),
    onAdminListening: @escaping @Sendable (SocketAddress?) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let notifier = notifier ?? SystemdNotifier(environment: ProcessInfo.processInfo.environment, logger: logger)
    try config.listen.checkBindable(key: "listen")
    try config.adminListen?.checkBindable(key: "admin_listen")
    let rules = ActiveRules(try loadRules(config, logger: logger))
    let store = try await openStore(config.store, logger: logger, wallClock: { clock.now })
    let metrics = DaemonMetrics(
        factory: PrometheusMetricsFactory(registry: registry), endpoints: config.endpoints.map(\.name))
    metrics.setRulesLoaded(rules.current.enabledCount)

    let wakeWorker = WorkerSignal()
    let planner = EventPlanner(
        maxHops: config.worker.maxHops, defaultProject: config.artifactory?.project, defaultMode: config.rulesMode,
        metrics: metrics, logger: logger)
    let backlog = Backlog(limit: config.worker.maxPending)

    let capacity = StoreCapacity(maxBytes: config.storeMaxBytes)

    let router = Router(context: HooksRequestContext.self)
    HealthController(store: store, capacity: capacity, logger: logger).addRoutes(to: router)
    let bodyDeadline = BodyReadDeadline(limit: config.ingest.bodyTimeout)
    let ingest = IngestController(
        endpoints: config.endpoints, store: store, rules: rules, ingest: config.ingest, planner: planner,
        backlog: backlog, metrics: metrics, jobsPlanned: { wakeWorker.wake() },
        clientAddress: ClientAddress(trustedProxies: config.trustedProxies), bodyDeadline: bodyDeadline,
        capacity: capacity, clock: clock, tests: store)
    ingest.addRoutes(to: router)

    // Services stop in reverse order: the listener first, then the reloader, retention, the
    // backlog planner, the worker (which drains), the Artifactory client, the admin listener, and
    // the store last (a PostgreSQL store's pool after it).
    var services: [any Service] = []
    if let postgres = store as? PostgresEventStore { services.append(StorePool(store: postgres)) }
    services.append(ShutdownAction(name: "event store", logger: logger) { try await store.close() })
    let caps = connectionCaps(config, logger: logger)
    if let admin = config.adminListen {
        let limit = ConnectionLimit(listener: "admin", cap: caps.admin ?? 1, metrics: metrics, logger: logger)
        services.append(
            adminApplication(
                address: admin, store: store, capacity: capacity, registry: registry, limit: limit,
                idleTimeout: config.ingest.idleTimeout, metrics: metrics, logger: logger,
                statusPage: config.ui.enabled
                    ? StatusPage(
                        store: store, rules: rules, config: config, logger: logger, now: { clock.now },
                        wakeWorker: { wakeWorker.wake() }) : nil,
                onListening: onAdminListening)
        )
    } else {
        // Without a separate listener, the webhook listener serves the metrics (admin_listen: off).
        MetricsController(registry: registry).addRoutes(to: router)
    }
    if let artifactory = config.artifactory {
        let client = try ArtifactoryClient(configuration: artifactory.clientConfiguration, logger: logger)
        services.append(ShutdownAction(name: "Artifactory client", logger: logger) { try await client.shutdown() })
        var worker = JobWorker(
            store: store, executor: HTTPActionExecutor(client: client), signal: wakeWorker,
            settings: config.worker, metrics: metrics, logger: logger, clock: clock,
            expansions: ExpansionRunner(
                client: client, store: store, settings: config.worker, clock: clock, logger: logger))
        // The targets' calls have workers of their own.
        worker.subjects = .notTargets
        services.append(worker)
        if let interval = config.catchUp.interval, !config.subscriptions.webhooks.isEmpty {
            let catchUp = CatchUp(
                subscriptions: config.subscriptions.webhooks, client: client, ledger: store, ingest: ingest,
                metrics: metrics, clock: clock, logger: logger)
            services.append(CatchUpService(catchUp: catchUp, interval: interval))
        }
    }
    services += try targetWorkers(
        config, store: store, signal: wakeWorker, metrics: metrics, logger: logger, clock: clock)
    await warnAboutOrphanedTargetJobs(config, store: store, logger: logger)
    if config.artifactory != nil || !config.targets.isEmpty {
        services.append(JobsListener(store: store, signal: wakeWorker))
    }
    if config.artifactory == nil, rules.current.enabledCount > 0 {
        logger.warning(
            "Rules plan Artifactory calls but the config has no artifactory section; jobs wait until it is added")
    }
    services.append(
        BacklogService(
            store: store, backlog: backlog, rules: rules, planner: planner, metrics: metrics,
            interval: backlogInterval, logger: logger, wakeWorker: { wakeWorker.wake() }, clock: clock))
    services.append(
        RetentionService(store: store, retention: config.retention, metrics: metrics, logger: logger, clock: clock))
    services.append(
        StoreSizeService(store: store, capacity: capacity, metrics: metrics, interval: backlogInterval, logger: logger))
    services.append(bodyDeadline)
    // What a reload (SIGHUP, `systemctl reload`) reads again besides the rules.
    let ingestLimit = ConnectionLimit(listener: "ingest", cap: caps.ingest, metrics: metrics, logger: logger)
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ingestLimit.handler()],
        idleTimeout: config.ingest.idleTimeout.map { TimeAmount($0) })
    var server = HTTPServerBuilder.http1ClosingUnreusable(configuration: http1)
    var reloadAlso: [@Sendable () -> String?] = []
    if let tls = config.tls {
        let certificates = try TLSCertificates(tls)
        server = try .tls(
            .http1ClosingUnreusable(configuration: http1), tlsConfiguration: certificates.serverConfiguration)
        reloadAlso.append { reloadCertificates(certificates, metrics: metrics, logger: logger) }
    }
    var reloader = RulesReloader(
        directory: config.rulesDirectory, rules: rules, pollInterval: config.rulesPollInterval,
        notifier: notifier, reloadAlso: reloadAlso, metrics: metrics, logger: logger)
    reloader.knownTargets = config.targets.map(\.name)
    services.append(reloader)
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
        server: server,
        configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: nil),
        services: services,
        onServerRunning: { channel in
            await watchAccepts(of: channel, listener: "ingest", metrics: metrics, logger: logger)
            let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
            logger.info(
                "Listening for webhooks",
                metadata: [
                    "http.address": .string(address),
                    "endpoints": .string(config.endpoints.map(\.name).joined(separator: ",")),
                    "http.tls": .stringConvertible(config.tls != nil),
                ])
            // Migrations ran and rules loaded before the application was built; now the port answers.
            notifier.ready(status: "Listening on \(address); \(rules.current.rules.count) rule(s) loaded")
        },
        logger: logger
    )
}

/// The admin listener: `/metrics`, `/healthz`, `/readyz` and the status page (`/ui`, unless
/// `ui.enabled: false`) on `admin_listen`, apart from the webhooks, with a connection cap of its
/// own and the webhook listener's idle timeout.
func adminApplication(
    address: DaemonConfig.ListenAddress, store: any EventStore, capacity: StoreCapacity,
    registry: PrometheusCollectorRegistry, limit: ConnectionLimit, idleTimeout: Duration?, metrics: DaemonMetrics,
    logger: Logger, statusPage: StatusPage?, onListening: @escaping @Sendable (SocketAddress?) -> Void
) -> some Service {
    let router = Router(context: HooksRequestContext.self)
    HealthController(store: store, capacity: capacity, logger: logger).addRoutes(to: router)
    MetricsController(registry: registry).addRoutes(to: router)
    statusPage?.addRoutes(to: router)
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [limit.handler()], idleTimeout: idleTimeout.map { TimeAmount($0) })
    return Application(
        router: router,
        server: .http1ClosingUnreusable(configuration: http1),
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
        onServerRunning: { channel in
            await watchAccepts(of: channel, listener: "admin", metrics: metrics, logger: logger)
            logger.info(
                "Admin listener serving /metrics",
                metadata: [
                    "admin.address": .string(
                        channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
                ])
            onListening(channel.localAddress)
        },
        logger: logger
    )
}

/// The listeners' connection caps, lowered to fit the descriptor limit; logs them, and warns when
/// they had to be lowered.
func connectionCaps(_ config: DaemonConfig, logger: Logger) -> ConnectionCaps {
    let configured = ConnectionCaps(
        ingest: config.ingest.maxConnections, admin: config.adminListen.map { _ in config.admin.maxConnections })
    guard let descriptors = DescriptorLimit.current() else { return configured }
    let caps = configured.fitting(descriptors)
    var metadata: Logger.Metadata = [
        "connections.ingest.max": .stringConvertible(caps.ingest),
        "descriptors.soft": .stringConvertible(descriptors.soft),
        "descriptors.reserved": .stringConvertible(descriptors.reserved),
    ]
    if let admin = caps.admin { metadata["connections.admin.max"] = .stringConvertible(admin) }
    if caps != configured {
        logger.warning(
            "Connection caps lowered to leave descriptors for the store and the worker; raise LimitNOFILE= to keep them",
            metadata: metadata)
    } else {
        logger.info("Connection caps", metadata: metadata)
    }
    return caps
}

/// Counts and logs the failed accepts of the listening socket `channel`, and pauses accepting for
/// `backoff` after each (``AcceptErrorHandler``).
package func watchAccepts(
    of channel: any Channel, listener: String, metrics: DaemonMetrics, logger: Logger,
    backoff: TimeAmount = .seconds(1)
) async {
    try? await channel.eventLoop.submit {
        try channel.pipeline.syncOperations.addHandler(
            AcceptErrorHandler(listener: listener, metrics: metrics, logger: logger, backoff: backoff),
            position: .first)
    }.get()
}

/// Loads the configured rules directory (an empty set when none is configured).
public func loadRules(_ config: DaemonConfig, logger: Logger) throws(RulesError) -> RuleSet {
    guard let directory = config.rulesDirectory else {
        logger.info("No rules directory configured; events are stored and nothing else happens")
        return .empty
    }
    let loaded = try RuleSet.load(directory: directory, knownTargets: config.targets.map(\.name))
    logger.rulesLoaded(loaded, ["rules.directory": .string(directory)])
    return loaded
}

/// Opens the configured store for a command (`events list`, `jobs retry`, `status`, …), runs
/// `body` with it and closes it, also when `body` throws; a PostgreSQL store's pool runs for
/// exactly that long. Never creates the store and never migrates it, so a command run with a
/// newer binary cannot upgrade the schema under a daemon that is still running the older one.
/// Throws a ``StorageError`` that says what to do when there is no store there, or its schema is
/// not this version's.
public func withExistingStore<Result: Sendable>(
    _ store: DaemonConfig.Store, logger: Logger, _ body: (any EventStore) async throws -> Result
) async throws -> Result {
    switch store {
    case .sqlite(let configuration):
        guard FileManager.default.fileExists(atPath: configuration.path) else {
            throw StorageError(
                code: .notFound, location: configuration.path,
                detail: "check store.sqlite in the config; the daemon creates the file at its first start")
        }
        let sqlite = try SQLiteEventStore(configuration: configuration)
        return try await withRunning(sqlite) { store in
            if let problem = try await store.schemaState().problem(at: configuration.path) { throw problem }
            return try await body(store)
        }
    case .postgres(let configuration):
        let postgres = PostgresEventStore(configuration: configuration, logger: logger)
        return try await withRunning(postgres) { store in
            try await postgres.checkConnection()
            if let problem = try await store.schemaState().problem(at: configuration.description) { throw problem }
            return try await body(store)
        }
    }
}

/// Runs `body` with `store` and closes the store after it, also when `body` throws. A PostgreSQL
/// store's pool runs for exactly that long (the daemon runs it as a service instead).
public func withRunning<Result: Sendable>(
    _ store: any EventStore, _ body: (any EventStore) async throws -> Result
) async throws -> Result {
    guard let postgres = store as? PostgresEventStore else { return try await closing(store, body) }
    return try await postgres.withPool { try await closing(store, body) }
}

/// Runs `body` with `store`, then closes the store, also when `body` throws.
private func closing<Result: Sendable>(
    _ store: any EventStore, _ body: (any EventStore) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// Opens and migrates the configured store. A PostgreSQL store comes back with its pool not yet
/// running: run it (``withRunning(_:_:)``, or a ``StorePool`` service). `wallClock` is the time the
/// store stamps by itself.
public func openStore(
    _ store: DaemonConfig.Store, logger: Logger, wallClock: @escaping @Sendable () -> Date = Date.init
) async throws -> any EventStore {
    switch store {
    case .sqlite(let configuration):
        let sqlite = try SQLiteEventStore(configuration: configuration, wallClock: wallClock)
        try await sqlite.migrate()
        logger.info(
            "Event store ready",
            metadata: [
                "store.sqlite": .string(configuration.path),
                "store.synchronous": .string(configuration.synchronous.rawValue),
            ])
        return sqlite
    case .postgres(let configuration):
        // Migrations run on a pool of their own, for as long as they take; the store returned
        // needs its pool run (the daemon runs it as a service, a command in ``withRunning(_:_:)``).
        let migrating = PostgresEventStore(configuration: configuration, logger: logger)
        let schema = try await withRunning(migrating) { _ in
            try await migrating.checkConnection()
            try await migrating.migrate()
            return (try? await migrating.schemaVersions().last) ?? "?"
        }
        logger.info(
            "Event store ready",
            metadata: [
                "store.postgres": .string(configuration.description),
                "store.tls": .string(configuration.tls.rawValue),
                "store.pool_size": .stringConvertible(configuration.poolSize),
                "store.schema": .string(schema),
            ])
        return PostgresEventStore(configuration: configuration, logger: logger, wallClock: wallClock)
    }
}

import ArtifactoryEvents
public import Hummingbird
public import Logging
import Storage

/// Builds the daemon exactly as `artifactory-hooks serve` runs it; tests call the same function.
///
/// Opens the store and runs its migrations before returning, so the listener never accepts a
/// delivery it could not store.
public func buildApplication(config: DaemonConfig, logger: Logger) async throws -> some ApplicationProtocol {
    let store = try await openStore(config.store, logger: logger)

    let router = Router(context: HooksRequestContext.self)
    HealthController(store: store).addRoutes(to: router)
    IngestController(endpoints: config.endpoints, store: store, ingest: config.ingest).addRoutes(to: router)

    for endpoint in config.endpoints where endpoint.auth == .none {
        logger.warning(
            "Endpoint accepts unsigned deliveries (auth: none)", metadata: ["endpoint": .string(endpoint.name)])
    }

    return Application(
        router: router,
        configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: nil),
        services: [StoreService(store: store, logger: logger)],
        onServerRunning: { channel in
            logger.info(
                "Listening for webhooks",
                metadata: [
                    "http.address": .string(
                        channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"),
                    "endpoints": .string(config.endpoints.map(\.name).joined(separator: ",")),
                ])
        },
        logger: logger
    )
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

import ArtifactoryEvents
import Foundation
public import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The store for several daemons behind a load balancer: one PostgreSQL database shared by all of
/// them, through postgres-nio's connection pool.
///
/// Same contract as ``SQLiteEventStore``, and it holds across daemons: dedup by a unique key
/// (`INSERT … ON CONFLICT`), leases with `FOR UPDATE SKIP LOCKED`, one job per subject at a time
/// under a per-subject advisory lock, and `NOTIFY` of new jobs so every daemon's worker wakes.
/// Times are stored as microseconds since 1970 (`BIGINT`), as in SQLite.
public final class PostgresEventStore: EventStore {
    /// The settings this store was opened with.
    public let configuration: Configuration
    /// Wall-clock time for what the store stamps itself: the loop guard's window at insert, leases
    /// handed back at shutdown, expired effects, the health check.
    let wallClock: @Sendable () -> Date
    let client: PostgresClient
    let logger: Logger

    /// The channel `NOTIFY` announces new due jobs on.
    static let jobsChannel = "artifactory_hooks_jobs"

    /// Sets up a connection pool to the database; connections are made on first use, once the
    /// pool runs: the daemon runs ``run()`` as a service, a command wraps its work in
    /// ``withPool(_:)``. Call ``migrate()`` before use. `wallClock` is the time the store stamps by
    /// itself (the daemon passes its clock's).
    public init(
        configuration: Configuration, logger: Logger = Logger(label: "artifactory-hooks.postgres"),
        wallClock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.wallClock = wallClock
        self.logger = logger
        let tls: PostgresClient.Configuration.TLS =
            switch configuration.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var settings = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.user,
            password: configuration.password, database: configuration.database, tls: tls)
        settings.options.maximumConnections = max(1, configuration.poolSize)
        settings.options.additionalStartupParameters = [("application_name", "artifactory-hooks")]
        // postgres-nio warns at every lease made before run() starts (the first queries of a
        // new store); failures reach the caller as errors, so its background log keeps errors only.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: settings, backgroundLogger: background)
    }

    /// Opens one connection directly, outside the pool, and closes it. The pool retries a failing
    /// connection for about a minute and then reports only that it gave up; this says at once what
    /// the server (or the network) said: a wrong password, a database that does not exist,
    /// a refused connection. The daemon and the commands call it before anything else.
    public func checkConnection() async throws {
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch configuration.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            let settings = PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.user,
                password: configuration.password, database: configuration.database, tls: tls)
            let connection = try await bounded { [logger] in
                try await PostgresConnection.connect(configuration: settings, id: 0, logger: logger)
            }
            try await connection.close()
        } catch {
            throw StorageError(code: .openFailed, location: configuration.description, underlying: error)
        }
    }

    public func insert(
        _ event: NewEvent, dedupWindow: Duration, plan: @escaping @Sendable (Int64, SelfCause?) -> EventPlan
    ) async throws -> IngestResult {
        do {
            return try await boundedTransaction { [logger] connection in
                try await Self.insert(event, dedupWindow: dedupWindow, plan: plan, on: connection, logger: logger)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func events(matching query: EventQuery) async throws -> [StoredEvent] {
        var sql = "SELECT * FROM events WHERE true"
        var binds = PostgresBindings()
        func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let kind = query.kind {
            let parts = kind.split(separator: ".", maxSplits: 1).map(String.init)
            sql += " AND domain = \(bind(parts[0]))"
            if parts.count == 2, parts[1] != "*" { sql += " AND event_type = \(bind(parts[1]))" }
        }
        if let repo = query.repo { sql += " AND repo = \(bind(repo))" }
        // starts_with, not LIKE: paths may contain % and _.
        if let prefix = query.pathPrefix { sql += " AND starts_with(path, \(bind(prefix)))" }
        if let build = query.buildName { sql += " AND build_name = \(bind(build))" }
        if let since = query.since { sql += " AND received_at >= \(bind(Self.microseconds(since)))" }
        if let until = query.until { sql += " AND received_at < \(bind(Self.microseconds(until)))" }
        if let endpoint = query.endpoint { sql += " AND endpoint = \(bind(endpoint))" }
        if let origin = query.origin { sql += " AND origin = \(bind(origin))" }
        if let arrival = query.arrival { sql += " AND arrival = \(bind(arrival.rawValue))" }
        if let beforeID = query.beforeID { sql += " AND id < \(bind(beforeID))" }
        sql += " ORDER BY id DESC LIMIT \(bind(query.limit))"
        return try await read { [logger, sql, binds] connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
                .map(Self.storedEvent)
        }
    }

    public func event(id: Int64) async throws -> StoredEvent? {
        try await read { [logger] connection in
            try await connection.rows("SELECT * FROM events WHERE id = \(id)", logger: logger).collect()
                .first.map(Self.storedEvent)
        }
    }

    public func commitPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> EventPlan {
        do {
            return try await boundedTransaction { [logger] connection in
                if !plan.deferred {
                    try await connection.rows(
                        "UPDATE events SET plan_deferred = false WHERE id = \(eventID) AND plan_deferred",
                        logger: logger)
                }
                var committed = plan
                _ = try await Self.write(
                    &committed, eventID: eventID, origin: origin, now: Self.microseconds(self.wallClock()),
                    on: connection, logger: logger)
                return committed
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func jobs(forEvent eventID: Int64) async throws -> [StoredJob] {
        try await read { [logger] connection in
            try await connection.rows("SELECT * FROM jobs WHERE event_id = \(eventID) ORDER BY id", logger: logger)
                .collect().map(Self.storedJob)
        }
    }

    public func planFailures(forEvent eventID: Int64) async throws -> [PlanFailure] {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT rule, action_index, kind, code, message FROM plan_failures
                WHERE event_id = \(eventID) ORDER BY id
                """, logger: logger
            ).decode((String, Int, String, String, String).self).array().map { row in
                PlanFailure(rule: row.0, actionIndex: row.1, kind: row.2, code: row.3, message: row.4)
            }
        }
    }

    public func checkWritable() async throws {
        do {
            _ = try await bounded { [client, logger] in
                try await client.query(
                    """
                    INSERT INTO store_health (id, checked_at) VALUES (1, \(Self.microseconds(self.wallClock())))
                    ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at
                    """, logger: logger)
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    /// Nothing to release here: the pool's connections close when ``run()`` ends.
    public func close() async throws {}

    /// Runs one of the daemon's own calls within ``Configuration/operationTimeout``.
    func bounded<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await Deadline.run(within: configuration.operationTimeout, operation)
    }

    /// Runs `body` in a transaction on a pooled connection, within ``Configuration/operationTimeout``.
    func boundedTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await bounded { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// Runs a read on a pooled connection, within ``Configuration/operationTimeout``; failures
    /// become ``StorageError/Code/readFailed``.
    func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        do {
            return try await bounded { [client] in try await client.withConnection { try await body($0) } }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.description, underlying: error)
        }
    }
}

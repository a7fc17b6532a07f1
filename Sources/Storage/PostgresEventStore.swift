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
    let client: PostgresClient
    let logger: Logger

    /// The channel `NOTIFY` announces new due jobs on.
    static let jobsChannel = "artifactory_hooks_jobs"

    /// Sets up a connection pool to the database; connections are made on first use, once the
    /// pool runs: the daemon runs ``run()`` as a service, a command wraps its work in
    /// ``withPool(_:)``. Call ``migrate()`` before use.
    public init(configuration: Configuration, logger: Logger = Logger(label: "artifactory-hooks.postgres")) {
        self.configuration = configuration
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

    public func addPlan(_ plan: EventPlan, toEvent eventID: Int64, origin: JobOrigin) async throws -> Int {
        do {
            return try await boundedTransaction { [logger] connection in
                if !plan.deferred {
                    try await connection.rows(
                        "UPDATE events SET plan_deferred = false WHERE id = \(eventID) AND plan_deferred",
                        logger: logger)
                }
                return try await Self.write(
                    plan, eventID: eventID, origin: origin, now: Self.microseconds(Date()), on: connection,
                    logger: logger)
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
                    INSERT INTO store_health (id, checked_at) VALUES (1, \(Self.microseconds(Date())))
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

extension PostgresEventStore {
    /// Stores one delivery in the caller's transaction.
    ///
    /// The fingerprint is claimed first with one upsert: a new fingerprint, or one whose window has
    /// run out, takes this event's id; a fingerprint inside its window keeps the original's. A
    /// concurrent insert of the same fingerprint on another daemon waits on the unique key until
    /// this transaction ends, so exactly one of them is the original.
    static func insert(
        _ new: NewEvent, dedupWindow: Duration, plan: @Sendable (Int64, SelfCause?) -> EventPlan,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> IngestResult {
        let receivedAt = microseconds(new.receivedAt)
        let fingerprint = Data(new.fingerprint.bytes)
        let eventID = try await connection.rows(
            "SELECT nextval(pg_get_serial_sequence('events', 'id'))", logger: logger
        ).decode(Int64.self).array()[0]
        let owner = try await connection.rows(
            """
            INSERT INTO fingerprints AS f (fingerprint, event_id, first_seen_at)
            VALUES (\(fingerprint), \(eventID), \(receivedAt))
            ON CONFLICT (fingerprint) DO UPDATE SET
                event_id = CASE WHEN excluded.first_seen_at - f.first_seen_at < \(microseconds(dedupWindow))
                    THEN f.event_id ELSE excluded.event_id END,
                first_seen_at = CASE WHEN excluded.first_seen_at - f.first_seen_at < \(microseconds(dedupWindow))
                    THEN f.first_seen_at ELSE excluded.first_seen_at END
            RETURNING event_id
            """, logger: logger
        ).decode(Int64.self).array()[0]
        let duplicateOf = owner == eventID ? nil : owner
        let subject = new.event.subject
        // A duplicate keeps no body: its original holds the same bytes (the fingerprint says so).
        let body = duplicateOf == nil ? Data(new.body) : Data()
        let selfCause =
            duplicateOf == nil
            ? try await selfCause(of: new.event, at: receivedAt, on: connection, logger: logger) : nil
        try await connection.rows(
            """
            INSERT INTO events (id, received_at, endpoint, domain, event_type, subject, repo, path,
                build_name, build_number, body, fingerprint, duplicate_of, source_address,
                subscription_key, origin, source, hop, self_caused)
            VALUES (\(eventID), \(receivedAt), \(new.endpoint), \(new.event.kind.domain.rawValue),
                \(new.event.kind.eventType), \(subject.key), \(subject.repo), \(subject.path),
                \(subject.buildName), \(subject.buildNumber), \(body), \(fingerprint), \(duplicateOf),
                \(new.sourceAddress), \(new.event.subscriptionKey), \(new.event.origin), \(new.event.source),
                \(selfCause?.hop ?? 0), \(selfCause != nil))
            """, logger: logger)
        guard duplicateOf == nil else { return IngestResult(eventID: eventID, duplicateOf: duplicateOf, plan: .empty) }
        let eventPlan = plan(eventID, selfCause)
        _ = try await write(
            eventPlan, eventID: eventID, origin: .ingest, now: receivedAt, on: connection, logger: logger)
        return IngestResult(eventID: eventID, duplicateOf: nil, plan: eventPlan)
    }

    /// Writes a plan's jobs (due now) and failures for `eventID` in the caller's transaction, and
    /// announces new jobs to every daemon (delivered at commit); returns the number of jobs. A
    /// deferred plan only marks the event.
    static func write(
        _ plan: EventPlan, eventID: Int64, origin: JobOrigin, now: Int64, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        if plan.deferred {
            try await connection.rows("UPDATE events SET plan_deferred = true WHERE id = \(eventID)", logger: logger)
            return 0
        }
        if !plan.jobs.isEmpty {
            var rules: [String] = []
            var indexes: [Int64] = []
            var kinds: [String] = []
            var subjects: [String] = []
            var requests: [String] = []
            var effects: [String] = []
            for job in plan.jobs {
                rules.append(job.rule)
                indexes.append(Int64(job.actionIndex))
                kinds.append(job.kind)
                subjects.append(job.subject)
                requests.append(job.request)
                effects.append(ExpectedEffect.storedJSON(job.effects))
            }
            // unnest keeps the plan's order: ids follow it.
            try await connection.rows(
                """
                INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at, due_at,
                    effects)
                SELECT \(eventID), rule, action_index, kind, subject, request, \(origin.rawValue), \(now), \(now),
                    effects
                FROM unnest(\(rules)::text[], \(indexes)::bigint[], \(kinds)::text[], \(subjects)::text[],
                    \(requests)::text[], \(effects)::text[])
                    WITH ORDINALITY AS p (rule, action_index, kind, subject, request, effects, position)
                ORDER BY position
                """, logger: logger)
            try await notifyJobs(on: connection, logger: logger)
        }
        for failure in plan.failures {
            try await connection.rows(
                """
                INSERT INTO plan_failures (event_id, rule, action_index, kind, code, message, created_at)
                VALUES (\(eventID), \(failure.rule), \(failure.actionIndex), \(failure.kind), \(failure.code),
                    \(failure.message), \(now))
                """, logger: logger)
        }
        return plan.jobs.count
    }

    /// `NOTIFY` on the jobs channel; PostgreSQL delivers it when the transaction commits.
    static func notifyJobs(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.rows("SELECT pg_notify(\(jobsChannel), '')", logger: logger)
    }

    /// Whether an expected effect announced `event` (same subject and kind, and for property
    /// events the same key); the highest hop wins.
    static func selfCause(
        of event: WebhookEvent, at now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> SelfCause? {
        let subject = event.subject.key
        guard !subject.isEmpty else { return nil }
        var detail: String?
        if case .artifactProperty(let property) = event.typedData { detail = property.propertyKey }
        let hop =
            try await connection.rows(
                """
                SELECT max(hop) FROM effects
                WHERE subject = \(subject) AND kind = \(event.kind.description)
                  AND (detail IS NULL OR detail = \(detail)::text) AND expires_at > \(now)
                """, logger: logger
            ).decode(Int?.self).array().first ?? nil
        return hop.map(SelfCause.init(hop:))
    }

    static func storedEvent(_ row: PostgresRow) throws -> StoredEvent {
        let row = row.makeRandomAccess()
        let body = try row["body"].decode(ByteBuffer.self)
        let fingerprint = try row["fingerprint"].decode(ByteBuffer.self)
        return StoredEvent(
            id: try row["id"].decode(Int64.self),
            receivedAt: date(microseconds: try row["received_at"].decode(Int64.self)),
            endpoint: try row["endpoint"].decode(String.self), domain: try row["domain"].decode(String.self),
            eventType: try row["event_type"].decode(String.self), subject: try row["subject"].decode(String.self),
            repo: try row["repo"].decode(String?.self), path: try row["path"].decode(String?.self),
            buildName: try row["build_name"].decode(String?.self),
            buildNumber: try row["build_number"].decode(String?.self), body: Array(body.readableBytesView),
            fingerprint: Digest.hex(Array(fingerprint.readableBytesView)),
            duplicateOf: try row["duplicate_of"].decode(Int64?.self),
            sourceAddress: try row["source_address"].decode(String?.self),
            subscriptionKey: try row["subscription_key"].decode(String?.self),
            origin: try row["origin"].decode(String?.self), source: try row["source"].decode(String?.self),
            hop: try row["hop"].decode(Int.self), selfCaused: try row["self_caused"].decode(Bool.self),
            planDeferred: try row["plan_deferred"].decode(Bool.self))
    }

    static func storedJob(_ row: PostgresRow) throws -> StoredJob {
        let row = row.makeRandomAccess()
        return StoredJob(
            id: try row["id"].decode(Int64.self), eventID: try row["event_id"].decode(Int64.self),
            rule: try row["rule"].decode(String.self), actionIndex: try row["action_index"].decode(Int.self),
            kind: try row["kind"].decode(String.self), subject: try row["subject"].decode(String.self),
            request: try row["request"].decode(String.self),
            origin: JobOrigin(rawValue: try row["origin"].decode(String.self)) ?? .ingest,
            state: StoredJob.State(rawValue: try row["state"].decode(String.self)) ?? .pending,
            attemptCount: try row["attempt_count"].decode(Int.self),
            createdAt: date(microseconds: try row["created_at"].decode(Int64.self)),
            dueAt: date(microseconds: try row["due_at"].decode(Int64.self)),
            finishedAt: try row["finished_at"].decode(Int64?.self).map { date(microseconds: $0) },
            lastError: try row["last_error"].decode(String?.self))
    }
}

extension PostgresConnection {
    /// `query` with its async row sequence (the overload `decode` and `collect` chain on).
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws
        -> PostgresRowSequence
    {
        try await self.query(query, logger: logger, file: file, line: line)
    }
}

extension AsyncSequence where Self: Sendable {
    /// Every element, in order (decoded rows, whose sequence has no `collect()`).
    func array() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}

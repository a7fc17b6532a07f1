import Foundation
import GRDB
import Logging
import PostgresNIO

/// Copies the whole history of a SQLite store into a PostgreSQL store (`store copy`): events,
/// fingerprints, jobs, attempts, plan failures, loop-guard effects, fan-out progress and throttle windows, with their ids, in one
/// PostgreSQL transaction, so a failed copy leaves the target as it was.
public enum StoreCopy {
    /// How many rows of each table were copied.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var events = 0
        public var fingerprints = 0
        public var jobs = 0
        public var attempts = 0
        public var planFailures = 0
        public var effects = 0
        public var expansions = 0
        public var throttles = 0
        public var checkpoints = 0

        public init() {}

        /// Records the rows copied from `table`.
        mutating func record(_ count: Int, for table: String) {
            switch table {
            case "events": events = count
            case "fingerprints": fingerprints = count
            case "jobs": jobs = count
            case "attempts": attempts = count
            case "plan_failures": planFailures = count
            case "expansions": expansions = count
            case "throttles": throttles = count
            case "catch_up_checkpoints": checkpoints = count
            default: effects = count
            }
        }

        public var description: String {
            "\(events) events, \(fingerprints) fingerprints, \(jobs) jobs, \(attempts) attempts, "
                + "\(planFailures) plan failures, \(effects) effects, \(expansions) expansions, "
                + "\(throttles) throttle windows, \(checkpoints) catch-up checkpoints"
        }
    }

    /// A column and how its SQLite value becomes a PostgreSQL one.
    enum Column: Sendable {
        case integer(String)
        case text(String)
        case blob(String)
        case boolean(String)

        var name: String {
            switch self {
            case .integer(let name), .text(let name), .blob(let name), .boolean(let name): name
            }
        }
    }

    /// A table to copy, in an order that satisfies its references.
    struct Table: Sendable {
        let name: String
        /// The SQLite key rows are paged by; for ``byOffset``, the columns they are ordered by.
        let key: String
        let columns: [Column]
        /// Whether it has an identity column `id` whose sequence must follow the copied ids.
        var hasIdentity = true
        /// Paged by offset in `key` order, for a table whose key spans several columns.
        var byOffset = false
    }

    static let tables: [Table] = [
        Table(
            name: "events", key: "id",
            columns: [
                .integer("id"), .integer("received_at"), .text("endpoint"), .text("domain"), .text("event_type"),
                .text("subject"), .text("repo"), .text("path"), .text("build_name"), .text("build_number"),
                .blob("body"), .blob("fingerprint"), .integer("duplicate_of"), .text("source_address"),
                .text("subscription_key"), .text("origin"), .text("source"), .integer("hop"), .boolean("self_caused"),
                .boolean("plan_deferred"), .text("ignored"), .text("arrival"),
            ]),
        Table(
            name: "fingerprints", key: "fingerprint",
            columns: [.blob("fingerprint"), .integer("event_id"), .integer("first_seen_at")],
            hasIdentity: false),
        Table(
            name: "jobs", key: "id",
            columns: [
                .integer("id"), .integer("event_id"), .text("rule"), .integer("action_index"), .text("kind"),
                .text("subject"), .text("request"), .text("origin"), .text("state"), .integer("attempt_count"),
                .integer("created_at"), .integer("due_at"), .text("lease_owner"), .integer("lease_expires_at"),
                .integer("finished_at"), .text("last_error"), .text("effects"), .integer("parent_job_id"),
                .text("expansion_key"),
            ]),
        Table(
            name: "attempts", key: "id",
            columns: [
                .integer("id"), .integer("job_id"), .integer("started_at"), .integer("duration_us"),
                .integer("http_status"), .text("outcome"), .text("message"),
            ]),
        Table(
            name: "plan_failures", key: "id",
            columns: [
                .integer("id"), .integer("event_id"), .text("rule"), .integer("action_index"), .text("kind"),
                .text("code"), .text("message"), .integer("created_at"),
            ]),
        Table(
            name: "effects", key: "id",
            columns: [
                .integer("id"), .text("subject"), .text("kind"), .text("detail"), .integer("hop"), .integer("job_id"),
                .integer("expires_at"),
            ]),
        // After jobs: each row is an expansion job's progress.
        Table(
            name: "expansions", key: "job_id",
            columns: [.integer("job_id"), .integer("next_offset"), .integer("found")],
            hasIdentity: false),
        // Open throttle windows (`once_within:`), so a key sent before the copy stays throttled.
        Table(
            name: "throttles", key: "scope, key",
            columns: [.text("scope"), .text("key"), .integer("expires_at"), .integer("event_id")],
            hasIdentity: false, byOffset: true),
        // Catch-up's checkpoints, so the target reads on where the source stopped.
        Table(
            name: "catch_up_checkpoints", key: "subscription",
            columns: [
                .text("subscription"), .integer("checkpoint"), .text("lease_owner"), .integer("lease_expires_at"),
            ],
            hasIdentity: false),
    ]

    /// Rows per `INSERT`.
    static let pageSize = 500

    /// Copies `source` into `target`; both must be migrated to the same schema. Refuses a target
    /// that holds events or jobs unless `replace` is set, which empties it first.
    public static func copy(from source: SQLiteEventStore, to target: PostgresEventStore, replace: Bool)
        async throws -> Counts
    {
        let sourceVersions = try await source.schemaVersions()
        let targetVersions = try await target.schemaVersions()
        guard sourceVersions == targetVersions else {
            throw StorageError(
                code: .copyRefused, location: target.configuration.description,
                detail:
                    "the schemas differ (source \(sourceVersions.last ?? "none"), target \(targetVersions.last ?? "none")); migrate both with this version first"
            )
        }
        let logger = target.logger
        do {
            return try await target.client.withTransaction(logger: logger) { connection in
                if replace {
                    try await connection.rows(
                        "TRUNCATE events, fingerprints, jobs, attempts, plan_failures, effects, expansions, throttles, catch_up_checkpoints RESTART IDENTITY",
                        logger: logger)
                } else {
                    let used =
                        try await connection.rows(
                            "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM jobs)", logger: logger
                        ).decode(Int64.self).array().first ?? 0
                    guard used == 0 else {
                        throw StorageError(
                            code: .copyRefused, location: target.configuration.description,
                            detail: "the target already holds events or jobs; --replace empties it first")
                    }
                }
                var counts = Counts()
                for table in tables {
                    counts.record(
                        try await copy(table, from: source.pool, to: connection, logger: logger), for: table.name)
                    if table.hasIdentity {
                        // The next id follows the copied ones.
                        try await connection.rows(
                            PostgresQuery(
                                unsafeSQL: """
                                    SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'),
                                        COALESCE((SELECT max(id) FROM \(table.name)), 0) + 1, false)
                                    """), logger: logger)
                    }
                }
                return counts
            }
        } catch let error as StorageError {
            throw error
        } catch {
            if let storage = (error as? PostgresTransactionError)?.closureError as? StorageError { throw storage }
            throw StorageError(code: .writeFailed, location: target.configuration.description, underlying: error)
        }
    }

    /// Copies one table page by page, in key order; returns the number of rows.
    static func copy(
        _ table: Table, from pool: DatabasePool, to connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        let names = table.columns.map(\.name).joined(separator: ", ")
        var after: DatabaseValue = .null
        var copied = 0
        while true {
            let bound = after
            let offset = copied
            let rows = try pool.read { db in
                if table.byOffset {
                    return try Row.fetchAll(
                        db, sql: "SELECT \(names) FROM \(table.name) ORDER BY \(table.key) LIMIT ? OFFSET ?",
                        arguments: [pageSize, offset])
                }
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(names) FROM \(table.name)
                        WHERE ? IS NULL OR \(table.key) > ? ORDER BY \(table.key) LIMIT ?
                        """,
                    arguments: [bound, bound, pageSize])
            }
            guard let last = rows.last else { return copied }
            if !table.byOffset { after = last[table.key] as DatabaseValue }
            var binds = PostgresBindings(capacity: rows.count * table.columns.count)
            var tuples: [String] = []
            for row in rows {
                var placeholders: [String] = []
                for column in table.columns {
                    switch column {
                    case .integer(let name): binds.append(row[name] as Int64?)
                    case .text(let name): binds.append(row[name] as String?)
                    case .blob(let name): try binds.append(row[name] as Data?)
                    case .boolean(let name): binds.append((row[name] as Int64?).map { $0 != 0 })
                    }
                    placeholders.append("$\(binds.count)")
                }
                tuples.append("(\(placeholders.joined(separator: ", ")))")
            }
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(table.name) (\(names)) VALUES \(tuples.joined(separator: ", "))",
                    binds: binds), logger: logger)
            copied += rows.count
        }
    }
}

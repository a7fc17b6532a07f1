import ArtifactoryEvents
import Foundation
import Logging
import PostgresNIO

extension PostgresEventStore {
    public func expansionProgress(jobID: Int64) async throws -> ExpansionProgress? {
        try await read { [logger] connection in
            try await connection.rows(
                "SELECT next_offset, found FROM expansions WHERE job_id = \(jobID)", logger: logger
            ).decode((Int64, Int64?).self).array().first.map {
                ExpansionProgress(nextOffset: Int($0.0), found: $0.1.map { Int($0) })
            }
        }
    }

    public func recordExpansionPage(_ page: ExpansionPage, owner: String) async throws -> Bool {
        do {
            return try await boundedTransaction { [logger] connection in
                // The row lock holds the lease check until commit.
                guard
                    let parent = try await connection.rows(
                        """
                        SELECT event_id, origin FROM jobs
                        WHERE id = \(page.jobID) AND state = 'running' AND lease_owner = \(owner)
                        FOR UPDATE
                        """, logger: logger
                    ).decode((Int64, String).self).array().first
                else { return false }
                let now = Self.microseconds(page.now)
                if !page.children.isEmpty {
                    let children = page.children
                    let inserted = try await connection.rows(
                        """
                        INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at,
                            due_at, effects, parent_job_id, expansion_key)
                        SELECT \(parent.0), rule, action_index, kind, subject, request, \(parent.1), \(now), \(now),
                            effects, \(page.jobID), expansion_key
                        FROM unnest(\(children.map(\.rule))::text[], \(children.map { Int64($0.actionIndex) })::bigint[],
                            \(children.map(\.kind))::text[], \(children.map(\.subject))::text[],
                            \(children.map(\.request))::text[],
                            \(children.map { ExpectedEffect.storedJSON($0.effects) })::text[],
                            \(children.map { $0.expansionKey ?? "" })::text[])
                            WITH ORDINALITY AS p (rule, action_index, kind, subject, request, effects, expansion_key,
                                position)
                        ORDER BY position
                        ON CONFLICT (parent_job_id, expansion_key) DO NOTHING
                        RETURNING id
                        """, logger: logger
                    ).collect().count
                    if inserted > 0 { try await Self.notifyJobs(on: connection, logger: logger) }
                }
                try await connection.rows(
                    """
                    INSERT INTO expansions (job_id, next_offset, found)
                    VALUES (\(page.jobID), \(Int64(page.progress.nextOffset)), \(page.progress.found.map { Int64($0) })::bigint)
                    ON CONFLICT (job_id) DO UPDATE
                    SET next_offset = excluded.next_offset, found = coalesce(excluded.found, expansions.found)
                    """, logger: logger)
                try await connection.rows(
                    "UPDATE jobs SET lease_expires_at = \(Self.microseconds(page.leaseExpiresAt)) WHERE id = \(page.jobID)",
                    logger: logger)
                if let finish = page.finish {
                    try await Self.finish(finish, owner: owner, on: connection, logger: logger)
                }
                return true
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    /// Records the attempt that ends an expansion, in the caller's transaction (the lease was
    /// checked and locked there).
    private static func finish(
        _ attempt: JobAttempt, owner: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let started = microseconds(attempt.startedAt)
        let duration = microseconds(attempt.duration)
        let (state, outcome, due): (String, String, Int64?) =
            switch attempt.next {
            case .done: ("done", "success", nil)
            case .retry(let at): ("failed", "retry", microseconds(at))
            case .dead: ("dead", "dead", nil)
            }
        let finished: Int64? = state == "failed" ? nil : started + duration
        let lastError = attempt.next == .done ? nil : attempt.message
        try await connection.rows(
            """
            WITH moved AS (
                UPDATE jobs SET state = \(state), lease_owner = NULL, lease_expires_at = NULL,
                    due_at = COALESCE(\(due)::bigint, due_at), last_error = \(lastError)::text,
                    finished_at = \(finished)::bigint
                WHERE id = \(attempt.jobID) AND state = 'running' AND lease_owner = \(owner)
                RETURNING id)
            INSERT INTO attempts (job_id, started_at, duration_us, http_status, outcome, message)
            SELECT id, \(started), \(duration), \(attempt.httpStatus)::integer, \(outcome), \(attempt.message)::text
            FROM moved
            """, logger: logger)
    }
}

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
                    // In this transaction, where the lease was checked and locked.
                    _ = try await connection.rows(Self.finishAttemptQuery(finish, owner: owner), logger: logger)
                        .collect()
                }
                return true
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }
}

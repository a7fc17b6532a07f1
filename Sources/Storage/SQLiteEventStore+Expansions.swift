import ArtifactoryEvents
import Foundation
import GRDB

extension SQLiteEventStore {
    public func expansionProgress(jobID: Int64) async throws -> ExpansionProgress? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT next_offset, found FROM expansions WHERE job_id = ?", arguments: [jobID]
                )
                .map { ExpansionProgress(nextOffset: $0["next_offset"], found: $0["found"]) }
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func recordExpansionPage(_ page: ExpansionPage, owner: String) async throws -> Bool {
        do {
            return try await pool.write { db in
                guard
                    let parent = try Row.fetchOne(
                        db,
                        sql: "SELECT event_id, origin FROM jobs WHERE id = ? AND state = 'running' AND lease_owner = ?",
                        arguments: [page.jobID, owner])
                else { return false }
                let eventID: Int64 = parent["event_id"]
                let origin: String = parent["origin"]
                let now = Self.microseconds(page.now)
                var counts = JobCountChanges()
                var inserted = 0
                for child in page.children {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at,
                                due_at, effects, parent_job_id, expansion_key)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (parent_job_id, expansion_key) DO NOTHING
                            """
                    ).execute(arguments: [
                        eventID, child.rule, child.actionIndex, child.kind, child.subject, child.request, origin, now,
                        now, ExpectedEffect.storedJSON(child.effects), page.jobID, child.expansionKey,
                    ])
                    inserted += db.changesCount
                }
                counts.add(.pending, count: inserted)
                try db.execute(
                    sql: """
                        INSERT INTO expansions (job_id, next_offset, found) VALUES (?, ?, ?)
                        ON CONFLICT (job_id) DO UPDATE
                        SET next_offset = excluded.next_offset, found = coalesce(excluded.found, found)
                        """,
                    arguments: [page.jobID, page.progress.nextOffset, page.progress.found])
                try db.execute(
                    sql: "UPDATE jobs SET lease_expires_at = ? WHERE id = ?",
                    arguments: [Self.microseconds(page.leaseExpiresAt), page.jobID])
                if let finish = page.finish {
                    guard try Self.finish(PendingFinish(attempt: finish, owner: owner), counts: &counts, in: db) else {
                        return false
                    }
                }
                try counts.apply(in: db)
                return true
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }
}

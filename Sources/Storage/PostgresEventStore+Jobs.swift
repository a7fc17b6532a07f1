import ArtifactoryEvents
import Foundation
import Logging
import PostgresNIO

extension PostgresEventStore {
    /// Class id of the per-subject advisory locks (`pg_try_advisory_xact_lock(class, hashtext(subject))`);
    /// a second key space, apart from the migration lock's.
    static let subjectLockClass: Int32 = 0x686F_6F6B

    /// The lease rule, shared by the candidate scan and the lease itself: a job is due (pending or
    /// failed and due, or running with an expired lease), it is the oldest unfinished job of its
    /// subject, and no other job of its subject holds a live lease. The last condition is what
    /// SQLite gets for free from its single writer: here ids come from a sequence, so a job can
    /// commit after a younger job of its subject already runs on another daemon.
    static func leasable(now: String) -> String {
        """
        ((j.state IN ('pending', 'failed') AND j.due_at <= \(now))
             OR (j.state = 'running' AND j.lease_expires_at <= \(now)))
        AND NOT EXISTS (
            SELECT 1 FROM jobs k
            WHERE k.subject = j.subject AND k.id <> j.id AND k.state IN ('pending', 'running', 'failed')
              AND (k.id < j.id OR (k.state = 'running' AND k.lease_expires_at > \(now))))
        """
    }

    /// Leases in three statements of one transaction: find candidate heads (four times `limit`,
    /// skipping rows another daemon is leasing right now, so that two daemons do not both pick the
    /// same few and one of them come back empty); take the advisory lock
    /// of each candidate's subject (`try`: a subject another daemon is leasing right now is skipped,
    /// not waited for); then lease, with the rule checked again in a snapshot taken after the locks,
    /// so it sees every lease another daemon committed for those subjects. `FOR UPDATE SKIP LOCKED`
    /// keeps concurrent leasers off each other's rows.
    public func leaseJobs(
        owner: String, limit: Int, now: Date, leaseDuration: Duration, effectWindow: Duration, subjects: SubjectFilter
    ) async throws -> [LeasedJob] {
        let filter = subjects.condition { "left(\($0), \($1))" }
        let nowMicros = Self.microseconds(now)
        let expires = nowMicros + Self.microseconds(leaseDuration)
        let effectsExpire = nowMicros + Self.microseconds(effectWindow)
        guard limit > 0 else { return [] }
        do {
            return try await boundedTransaction { [logger] connection in
                let candidates = try await connection.rows(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT DISTINCT j.subject FROM (
                                SELECT j.subject FROM jobs j WHERE \(Self.leasable(now: "$1"))\(filter)
                                ORDER BY j.due_at, j.id LIMIT $2
                                FOR UPDATE SKIP LOCKED) j
                            """,
                        binds: Self.binds(nowMicros, Int64(limit * 4))), logger: logger
                ).decode(String.self).array()
                guard !candidates.isEmpty else {
                    try await connection.rows(
                        "DELETE FROM effects WHERE expires_at <= \(nowMicros)", logger: logger)
                    return []
                }
                let locked = try await connection.rows(
                    """
                    SELECT s FROM unnest(\(candidates)::text[]) AS s
                    WHERE pg_try_advisory_xact_lock(\(Self.subjectLockClass), hashtext(s))
                    """, logger: logger
                ).decode(String.self).array()
                var leased: [LeasedJob] = []
                if !locked.isEmpty {
                    var binds = Self.binds(nowMicros, Int64(limit))
                    binds.append(locked)
                    binds.append(owner)
                    binds.append(expires)
                    let rows = try await connection.rows(
                        PostgresQuery(
                            unsafeSQL: """
                                WITH picked AS (
                                    SELECT j.id, e.hop FROM jobs j JOIN events e ON e.id = j.event_id
                                    WHERE j.subject = ANY($3::text[]) AND \(Self.leasable(now: "$1"))
                                    ORDER BY j.due_at, j.id LIMIT $2
                                    FOR UPDATE OF j SKIP LOCKED)
                                UPDATE jobs SET state = 'running', lease_owner = $4, lease_expires_at = $5,
                                    attempt_count = attempt_count + 1
                                FROM picked WHERE jobs.id = picked.id
                                RETURNING jobs.*, picked.hop AS event_hop
                                """, binds: binds), logger: logger
                    ).collect()
                    for row in rows {
                        let job = try Self.storedJob(row)
                        let columns = row.makeRandomAccess()
                        let eventHop = try columns["event_hop"].decode(Int.self)
                        let effects = try ExpectedEffect.decodeStored(
                            try columns["effects"].decode(String.self))
                        for effect in effects {
                            try await connection.rows(
                                """
                                INSERT INTO effects (subject, kind, detail, hop, job_id, expires_at)
                                VALUES (\(effect.subject), \(effect.kind), \(effect.detail), \(eventHop + 1),
                                    \(job.id), \(effectsExpire))
                                """, logger: logger)
                        }
                        leased.append(
                            LeasedJob(
                                job: job, eventHop: eventHop, leaseExpiresAt: Self.date(microseconds: expires)))
                    }
                }
                try await connection.rows("DELETE FROM effects WHERE expires_at <= \(nowMicros)", logger: logger)
                return leased.sorted { ($0.job.dueAt, $0.job.id) < ($1.job.dueAt, $1.job.id) }
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func finishAttempt(_ attempt: JobAttempt, owner: String) async throws -> Bool {
        do {
            let rows = try await bounded { [client, logger] in
                try await client.query(Self.finishAttemptQuery(attempt, owner: owner), logger: logger).collect()
            }
            return rows.count == 1
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    /// The statement that records `attempt` and moves its job on (done, failed with its retry
    /// time, dead, or skipped, which also forgets the effects its lease recorded), only while
    /// `owner` still holds the job's lease: it returns the attempt's id, or no row when the lease
    /// was lost and nothing was written.
    static func finishAttemptQuery(_ attempt: JobAttempt, owner: String) -> PostgresQuery {
        let started = microseconds(attempt.startedAt)
        let duration = microseconds(attempt.duration)
        let (state, outcome, due): (String, String, Int64?) =
            switch attempt.next {
            case .done: ("done", "success", nil)
            case .retry(let at): ("failed", "retry", microseconds(at))
            case .dead: ("dead", "dead", nil)
            case .skipped: ("skipped", "skipped", nil)
            }
        let finished: Int64? = state == "failed" ? nil : started + duration
        let lastError = attempt.next == .done ? nil : attempt.message
        // A skipped job sent nothing: the events its lease expected will not come.
        let clearsEffects = attempt.next == .skipped
        return """
            WITH moved AS (
                UPDATE jobs SET state = \(state), lease_owner = NULL, lease_expires_at = NULL,
                    due_at = COALESCE(\(due)::bigint, due_at), last_error = \(lastError)::text,
                    finished_at = \(finished)::bigint
                WHERE id = \(attempt.jobID) AND state = 'running' AND lease_owner = \(owner)
                RETURNING id),
            cleared AS (DELETE FROM effects WHERE \(clearsEffects) AND job_id IN (SELECT id FROM moved))
            INSERT INTO attempts (job_id, started_at, duration_us, http_status, outcome, message)
            SELECT id, \(started), \(duration), \(attempt.httpStatus)::integer, \(outcome), \(attempt.message)::text
            FROM moved
            RETURNING id
            """
    }

    public func releaseLeases(owner: String) async throws -> Int {
        do {
            return try await boundedTransaction { [logger] connection in
                // The attempt never ran to an answer: it does not count.
                let released = try await connection.rows(
                    """
                    UPDATE jobs SET state = CASE WHEN attempt_count > 1 THEN 'failed' ELSE 'pending' END,
                        lease_owner = NULL, lease_expires_at = NULL, attempt_count = attempt_count - 1,
                        due_at = \(Self.microseconds(self.wallClock()))
                    WHERE state = 'running' AND lease_owner = \(owner)
                    RETURNING id
                    """, logger: logger
                ).collect().count
                // Another daemon may take them now.
                if released > 0 { try await Self.notifyJobs(on: connection, logger: logger) }
                return released
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func nextDueDate() async throws -> Date? {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT min(CASE WHEN state = 'running' THEN lease_expires_at ELSE due_at END) FROM jobs
                WHERE state IN ('pending', 'failed', 'running')
                """, logger: logger
            ).decode(Int64?.self).array().first?.map(Self.date(microseconds:))
        }
    }

    public func jobs(matching query: JobQuery) async throws -> [StoredJob] {
        var sql = "SELECT * FROM jobs j WHERE true"
        var binds = PostgresBindings()
        func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let state = query.state { sql += " AND state = \(bind(state.rawValue))" }
        if let eventID = query.eventID { sql += " AND event_id = \(bind(eventID))" }
        if let rule = query.rule { sql += " AND rule = \(bind(rule))" }
        if let beforeID = query.beforeID { sql += " AND id < \(bind(beforeID))" }
        sql += query.subjects.condition { "left(\($0), \($1))" }
        sql += " ORDER BY id DESC LIMIT \(bind(query.limit))"
        return try await read { [logger, sql, binds] connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
                .map(Self.storedJob)
        }
    }

    public func job(id: Int64) async throws -> StoredJob? {
        try await read { [logger] connection in
            try await connection.rows("SELECT * FROM jobs WHERE id = \(id)", logger: logger).collect()
                .first.map(Self.storedJob)
        }
    }

    public func attempts(forJob jobID: Int64) async throws -> [StoredAttempt] {
        try await read { [logger] connection in
            try await connection.rows(
                """
                SELECT id, job_id, started_at, duration_us, http_status, outcome, message FROM attempts
                WHERE job_id = \(jobID) ORDER BY id
                """, logger: logger
            ).decode((Int64, Int64, Int64, Int64, Int?, String, String?).self).array().map { row in
                StoredAttempt(
                    id: row.0, jobID: row.1, startedAt: Self.date(microseconds: row.2),
                    duration: .microseconds(row.3), httpStatus: row.4, outcome: row.5, message: row.6)
            }
        }
    }

    public func retryJobs(ids: [Int64]?, now: Date) async throws -> Int {
        if let ids, ids.isEmpty { return 0 }
        do {
            return try await boundedTransaction { [logger] connection in
                let query: PostgresQuery =
                    if let ids {
                        """
                        UPDATE jobs SET state = 'pending', due_at = \(Self.microseconds(now)), finished_at = NULL,
                            last_error = NULL, attempt_count = 0
                        WHERE id = ANY(\(ids)::bigint[]) AND state IN ('dead', 'failed')
                        RETURNING id
                        """
                    } else {
                        """
                        UPDATE jobs SET state = 'pending', due_at = \(Self.microseconds(now)), finished_at = NULL,
                            last_error = NULL, attempt_count = 0
                        WHERE state = 'dead'
                        RETURNING id
                        """
                    }
                let changed = try await connection.rows(query, logger: logger).collect().count
                // Running daemons pick them up now rather than at their next look.
                if changed > 0 { try await Self.notifyJobs(on: connection, logger: logger) }
                return changed
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    public func cancelJob(id: Int64, now: Date) async throws -> Bool {
        do {
            return try await bounded { [client, logger] in
                try await client.query(
                    """
                    UPDATE jobs SET state = 'cancelled', finished_at = \(Self.microseconds(now)), lease_owner = NULL,
                        lease_expires_at = NULL
                    WHERE id = \(id) AND (state IN ('pending', 'failed', 'dead')
                        OR (state = 'running' AND lease_expires_at <= \(Self.microseconds(now))))
                    RETURNING id
                    """, logger: logger
                ).collect().count == 1
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.description, underlying: error)
        }
    }

    /// Bindings for `$1` (now, microseconds) and `$2` (a limit).
    static func binds(_ now: Int64, _ limit: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(now)
        binds.append(limit)
        return binds
    }
}

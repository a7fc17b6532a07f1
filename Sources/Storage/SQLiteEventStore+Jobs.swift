import ArtifactoryEvents
import Foundation
import GRDB

extension SQLiteEventStore {
    public func leaseJobs(
        owner: String, limit: Int, now: Date, leaseDuration: Duration, effectWindow: Duration, subjects: SubjectFilter
    ) async throws -> [LeasedJob] {
        let nowMicros = Self.microseconds(now)
        let pending = PendingLease(
            owner: owner, limit: limit, now: nowMicros, expires: nowMicros + Self.microseconds(leaseDuration),
            effectsExpire: nowMicros + Self.microseconds(effectWindow), subjects: subjects)
        guard case .leased(let jobs) = try await submit(.lease(pending)) else {
            preconditionFailure("a lease answers with its jobs")
        }
        return jobs
    }

    /// One queued ``leaseJobs(owner:limit:now:leaseDuration:effectWindow:)``; times in microseconds.
    struct PendingLease: Sendable {
        let owner: String
        let limit: Int
        let now: Int64
        let expires: Int64
        let effectsExpire: Int64
        var subjects: SubjectFilter = .all
    }

    /// Leases up to `limit` due jobs inside the batch's transaction; their moves go into `counts`.
    static func lease(_ pending: PendingLease, counts: inout JobCountChanges, in db: Database) throws -> [LeasedJob] {
        let (owner, limit, nowMicros, expires, effectsExpire) = (
            pending.owner, pending.limit, pending.now, pending.expires, pending.effectsExpire
        )
        // The head of each subject's queue: no older unfinished job of the same subject,
        // and no other job of it holding a live lease (a dead job retried while a younger
        // one runs waits for it). Waiting jobs come in lease order from their own index
        // (the planner would sort them all otherwise); running jobs whose lease ran out (a
        // worker died) are few. Both lists are in (due_at, id) order and merged into the
        // first `limit`.
        let headOfSubject = """
            NOT EXISTS (
                SELECT 1 FROM jobs k
                WHERE k.subject = j.subject AND k.id <> j.id
                  AND k.state IN ('pending', 'running', 'failed')
                  AND (k.id < j.id OR (k.state = 'running' AND k.lease_expires_at > :now)))
            """ + pending.subjects.condition { "substr(\($0), 1, \($1))" }
        // Rows are read while the statement steps (a cursor), not copied first: a copied row finds a
        // column by lowercasing every column name, which cost more than the rest of the lease.
        let waiting = try Array(
            Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT j.*, e.hop AS event_hop
                        FROM jobs j INDEXED BY jobs_waiting JOIN events e ON e.id = j.event_id
                        WHERE j.state IN ('pending', 'failed') AND j.due_at <= :now AND \(headOfSubject)
                        ORDER BY j.due_at, j.id
                        LIMIT :limit
                        """),
                arguments: ["now": nowMicros, "limit": limit]
            ).map(LeaseCandidate.init))
        let expired = try Array(
            Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT j.*, e.hop AS event_hop FROM jobs j JOIN events e ON e.id = j.event_id
                        WHERE j.state = 'running' AND j.lease_expires_at <= :now AND \(headOfSubject)
                        ORDER BY j.due_at, j.id
                        LIMIT :limit
                        """),
                arguments: ["now": nowMicros, "limit": limit]
            ).map(LeaseCandidate.init))
        let candidates = (waiting + expired).sorted { ($0.dueAt, $0.job.id) < ($1.dueAt, $1.job.id) }.prefix(limit)
        var leased: [LeasedJob] = []
        for candidate in candidates {
            let id = candidate.job.id
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?,
                        attempt_count = attempt_count + 1
                    WHERE id = ?
                    """
            ).execute(arguments: [owner, expires, id])
            for effect in try ExpectedEffect.decodeStored(candidate.effects) {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO effects (subject, kind, detail, hop, job_id, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    effect.subject, effect.kind, effect.detail, candidate.eventHop + 1, id, effectsExpire,
                ])
            }
            var job = candidate.job
            counts.move(from: job.state, to: .running)
            job.state = .running
            job.attemptCount += 1
            leased.append(
                LeasedJob(job: job, eventHop: candidate.eventHop, leaseExpiresAt: Self.date(microseconds: expires)))
        }
        try db.cachedStatement(sql: "DELETE FROM effects WHERE expires_at <= ?").execute(arguments: [nowMicros])
        return leased
    }

    /// A job the lease may take, read from its row with its event's hop.
    private struct LeaseCandidate {
        let job: StoredJob
        let dueAt: Int64
        let eventHop: Int
        /// The expected effects, as stored.
        let effects: String

        init(_ row: Row) {
            job = SQLiteEventStore.storedJob(row)
            dueAt = row["due_at"]
            eventHop = row["event_hop"]
            effects = row["effects"]
        }
    }

    public func finishAttempt(_ attempt: JobAttempt, owner: String) async throws -> Bool {
        guard case .finished(let recorded) = try await submit(.finish(PendingFinish(attempt: attempt, owner: owner)))
        else { preconditionFailure("a finished attempt answers whether it was recorded") }
        return recorded
    }

    /// One queued ``finishAttempt(_:owner:)``.
    struct PendingFinish: Sendable {
        let attempt: JobAttempt
        let owner: String
    }

    /// Records one attempt and moves its job on (into `counts`), if `owner` still holds the lease.
    static func finish(_ pending: PendingFinish, counts: inout JobCountChanges, in db: Database) throws -> Bool {
        let attempt = pending.attempt
        let started = microseconds(attempt.startedAt)
        let finished = started + microseconds(attempt.duration)
        let (state, outcome, due): (StoredJob.State, String, Int64?) =
            switch attempt.next {
            case .done: (.done, "success", nil)
            case .retry(let at): (.failed, "retry", microseconds(at))
            case .dead: (.dead, "dead", nil)
            case .skipped: (.skipped, "skipped", nil)
            }
        try db.cachedStatement(
            sql: """
                UPDATE jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL,
                    due_at = COALESCE(?, due_at), last_error = ?,
                    finished_at = CASE WHEN ? IN ('done', 'dead', 'skipped') THEN ? ELSE NULL END
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """
        ).execute(arguments: [
            state.rawValue, due, attempt.next == .done ? nil : attempt.message, state.rawValue, finished,
            attempt.jobID, pending.owner,
        ])
        guard db.changesCount == 1 else { return false }
        counts.move(from: .running, to: state)
        // A skipped job sent nothing: the events its lease expected will not come.
        if state == .skipped {
            try db.cachedStatement(sql: "DELETE FROM effects WHERE job_id = ?").execute(arguments: [attempt.jobID])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO attempts (job_id, started_at, duration_us, http_status, outcome, message)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            attempt.jobID, started, microseconds(attempt.duration), attempt.httpStatus, outcome, attempt.message,
        ])
        return true
    }

    public func releaseLeases(owner: String) async throws -> Int {
        do {
            return try await pool.write { db in
                // The attempt never ran to an answer: it does not count.
                let newState = "CASE WHEN attempt_count > 1 THEN 'failed' ELSE 'pending' END"
                var counts = JobCountChanges()
                try counts.moving(
                    where: "state = 'running' AND lease_owner = ?", arguments: [owner], to: newState, in: db)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = \(newState),
                            lease_owner = NULL, lease_expires_at = NULL, attempt_count = attempt_count - 1,
                            due_at = ?
                        WHERE state = 'running' AND lease_owner = ?
                        """,
                    arguments: [Self.microseconds(wallClock()), owner])
                let released = db.changesCount
                try counts.apply(in: db)
                return released
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func nextDueDate() async throws -> Date? {
        do {
            return try await pool.read { db in
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT min(CASE WHEN state = 'running' THEN lease_expires_at ELSE due_at END) FROM jobs
                        WHERE state IN ('pending', 'failed', 'running')
                        """
                ).map(Self.date(microseconds:))
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func jobs(matching query: JobQuery) async throws -> [StoredJob] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let state = query.state {
            clauses.append("state = ?")
            arguments += [state.rawValue]
        }
        if let eventID = query.eventID {
            clauses.append("event_id = ?")
            arguments += [eventID]
        }
        if let rule = query.rule {
            clauses.append("rule = ?")
            arguments += [rule]
        }
        if let beforeID = query.beforeID {
            clauses.append("id < ?")
            arguments += [beforeID]
        }
        arguments += [query.limit]
        let filter =
            "WHERE " + (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "))
            + query.subjects.condition { "substr(\($0), 1, \($1))" }
        let bound = arguments
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM jobs j \(filter) ORDER BY id DESC LIMIT ?", arguments: bound
                )
                .map(Self.storedJob)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func job(id: Int64) async throws -> StoredJob? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.storedJob)
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func attempts(forJob jobID: Int64) async throws -> [StoredAttempt] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE job_id = ? ORDER BY id", arguments: [jobID])
                    .map { row in
                        StoredAttempt(
                            id: row["id"], jobID: row["job_id"], startedAt: Self.date(microseconds: row["started_at"]),
                            duration: .microseconds(row["duration_us"] as Int64), httpStatus: row["http_status"],
                            outcome: row["outcome"], message: row["message"])
                    }
            }
        } catch {
            throw StorageError(code: .readFailed, location: configuration.path, underlying: error)
        }
    }

    public func retryJobs(ids: [Int64]?, now: Date) async throws -> Int {
        do {
            return try await pool.write { db in
                let selection: String
                var selected = StatementArguments()
                if let ids {
                    guard !ids.isEmpty else { return 0 }
                    selection = "id IN (\(ids.map { _ in "?" }.joined(separator: ","))) AND state IN ('dead', 'failed')"
                    selected = StatementArguments(ids)
                } else {
                    selection = "state = 'dead'"
                }
                var counts = JobCountChanges()
                try counts.moving(where: selection, arguments: selected, to: "'pending'", in: db)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'pending', due_at = ?, finished_at = NULL, last_error = NULL,
                            attempt_count = 0
                        WHERE \(selection)
                        """,
                    arguments: [Self.microseconds(now)] + selected)
                let changed = db.changesCount
                try counts.apply(in: db)
                return changed
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    public func cancelJob(id: Int64, now: Date) async throws -> Bool {
        do {
            return try await pool.write { db in
                // A running job with a live lease is left alone: its call may be in flight.
                let selection = """
                    id = ? AND (state IN ('pending', 'failed', 'dead') OR (state = 'running' AND lease_expires_at <= ?))
                    """
                let microseconds = Self.microseconds(now)
                var counts = JobCountChanges()
                try counts.moving(where: selection, arguments: [id, microseconds], to: "'cancelled'", in: db)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
                        WHERE \(selection)
                        """,
                    arguments: [microseconds, id, microseconds])
                let cancelled = db.changesCount == 1
                try counts.apply(in: db)
                return cancelled
            }
        } catch {
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }

    /// Whether an expected effect announced `event` (same subject and kind, and for property
    /// events the same key); the highest hop wins.
    static func selfCause(of event: WebhookEvent, at now: Int64, in db: Database) throws -> SelfCause? {
        let subject = event.subject.key
        guard !subject.isEmpty else { return nil }
        var detail: String?
        if case .artifactProperty(let property) = event.typedData { detail = property.propertyKey }
        return try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT max(hop) FROM effects
                    WHERE subject = ? AND kind = ? AND (detail IS NULL OR detail = ?) AND expires_at > ?
                    """),
            arguments: [subject, event.kind.description, detail, now]
        ).map(SelfCause.init(hop:))
    }
}

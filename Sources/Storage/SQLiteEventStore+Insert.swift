import ArtifactoryEvents
import Foundation
import GRDB

extension SQLiteEventStore {
    /// Stores a delivery (deduplicated) and the jobs its plan gives; the jobs go into `counts`.
    static func insert(_ pending: PendingInsert, counts: inout JobCountChanges, in db: Database) throws
        -> IngestResult
    {
        let new = pending.event
        let dedupWindow = pending.dedupWindow
        let receivedAt = microseconds(new.receivedAt)
        let windowMicroseconds = microseconds(dedupWindow)
        let fingerprint = Data(new.fingerprint.bytes)
        var duplicateOf: Int64?
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT event_id, first_seen_at FROM fingerprints WHERE fingerprint = ?"),
            arguments: [fingerprint])
        {
            let firstSeen: Int64 = row["first_seen_at"]
            if receivedAt - firstSeen < windowMicroseconds { duplicateOf = row["event_id"] }
        }
        let subject = new.event.subject
        // A duplicate keeps no body: its original holds the same bytes (the fingerprint says so).
        // It is bound as NULL and written as an empty blob by the statement (an empty `Data` has no
        // bytes to point at, and SQLite binds a blob without an address as NULL).
        let body = duplicateOf == nil ? Data(new.body) : nil
        let selfCause = duplicateOf == nil ? try selfCause(of: new.event, at: receivedAt, in: db) : nil
        try db.cachedStatement(
            sql: """
                INSERT INTO events (received_at, endpoint, domain, event_type, subject, repo, path,
                    build_name, build_number, body, fingerprint, duplicate_of, source_address,
                    subscription_key, origin, source, hop, self_caused, ignored, arrival)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, X''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                receivedAt, new.endpoint, new.event.kind.domain.rawValue, new.event.kind.eventType, subject.key,
                subject.repo, subject.path, subject.buildName, subject.buildNumber, body, fingerprint,
                duplicateOf, new.sourceAddress, new.event.subscriptionKey, new.event.origin, new.event.source,
                selfCause?.hop ?? 0, selfCause != nil, new.ignored, new.arrival.rawValue,
            ]
        )
        let eventID = db.lastInsertedRowID
        if duplicateOf == nil {
            try db.cachedStatement(
                sql: """
                    INSERT INTO fingerprints (fingerprint, event_id, first_seen_at) VALUES (?, ?, ?)
                    ON CONFLICT (fingerprint) DO UPDATE
                    SET event_id = excluded.event_id, first_seen_at = excluded.first_seen_at
                    """
            ).execute(arguments: [fingerprint, eventID, receivedAt])
        }
        guard duplicateOf == nil else { return IngestResult(eventID: eventID, duplicateOf: duplicateOf, plan: .empty) }
        var plan = pending.plan(eventID, selfCause)
        try write(&plan, eventID: eventID, origin: .ingest, now: receivedAt, counts: &counts, in: db)
        return IngestResult(eventID: eventID, duplicateOf: nil, plan: plan)
    }

    /// Writes a plan's jobs (due now, recorded in `counts`) and failures for `eventID`; returns the
    /// number of jobs. A shadow job is written in state `shadow`, finished from the start. A job
    /// whose throttle window is open at `now` is moved to the plan's ``EventPlan/throttled`` and
    /// recorded with the failures instead.
    @discardableResult
    static func write(
        _ plan: inout EventPlan, eventID: Int64, origin: JobOrigin, now: Int64, counts: inout JobCountChanges,
        in db: Database
    ) throws -> Int {
        if plan.deferred {
            try db.cachedStatement(sql: "UPDATE events SET plan_deferred = 1 WHERE id = ?").execute(arguments: [eventID]
            )
            return 0
        }
        plan.throttle(try refusedClaims(of: plan, eventID: eventID, now: now, in: db))
        for job in plan.jobs {
            let state = job.initialState
            try db.cachedStatement(
                sql: """
                    INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at, due_at,
                        effects, state, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    eventID, job.rule, job.actionIndex, job.kind, job.subject, job.request, origin.rawValue, now, now,
                    ExpectedEffect.storedJSON(job.effects), state.rawValue, state == .shadow ? now : nil,
                ])
            counts.add(state)
        }
        for failure in plan.failures + plan.throttled {
            try db.cachedStatement(
                sql: """
                    INSERT INTO plan_failures (event_id, rule, action_index, kind, code, message, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    eventID, failure.rule, failure.actionIndex, failure.kind, failure.code, failure.message, now,
                ])
        }
        return plan.jobs.count
    }
}

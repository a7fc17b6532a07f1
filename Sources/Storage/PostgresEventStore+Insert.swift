import ArtifactoryEvents
import Foundation
import Logging
import NIOCore
import PostgresNIO

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
                subscription_key, origin, source, hop, self_caused, ignored, arrival)
            VALUES (\(eventID), \(receivedAt), \(new.endpoint), \(new.event.kind.domain.rawValue),
                \(new.event.kind.eventType), \(subject.key), \(subject.repo), \(subject.path),
                \(subject.buildName), \(subject.buildNumber), \(body), \(fingerprint), \(duplicateOf),
                \(new.sourceAddress), \(new.event.subscriptionKey), \(new.event.origin), \(new.event.source),
                \(selfCause?.hop ?? 0), \(selfCause != nil), \(new.ignored), \(new.arrival.rawValue))
            """, logger: logger)
        guard duplicateOf == nil else { return IngestResult(eventID: eventID, duplicateOf: duplicateOf, plan: .empty) }
        var eventPlan = plan(eventID, selfCause)
        _ = try await write(
            &eventPlan, eventID: eventID, origin: .ingest, now: receivedAt, on: connection, logger: logger)
        return IngestResult(eventID: eventID, duplicateOf: nil, plan: eventPlan)
    }

    /// Writes a plan's jobs (due now) and failures for `eventID` in the caller's transaction, and
    /// announces new jobs to every daemon (delivered at commit); returns the number of jobs. A
    /// shadow job is written in state `shadow`, finished from the start. A job whose throttle window
    /// is open at `now` is moved to the plan's ``EventPlan/throttled`` and recorded with the
    /// failures instead. A deferred plan only marks the event.
    static func write(
        _ plan: inout EventPlan, eventID: Int64, origin: JobOrigin, now: Int64, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        if plan.deferred {
            try await connection.rows("UPDATE events SET plan_deferred = true WHERE id = \(eventID)", logger: logger)
            return 0
        }
        plan.throttle(
            try await refusedClaims(of: plan, eventID: eventID, now: now, on: connection, logger: logger))
        if !plan.jobs.isEmpty {
            var rules: [String] = []
            var indexes: [Int64] = []
            var kinds: [String] = []
            var subjects: [String] = []
            var requests: [String] = []
            var effects: [String] = []
            var states: [String] = []
            for job in plan.jobs {
                rules.append(job.rule)
                indexes.append(Int64(job.actionIndex))
                kinds.append(job.kind)
                subjects.append(job.subject)
                requests.append(job.request)
                effects.append(ExpectedEffect.storedJSON(job.effects))
                states.append(job.initialState.rawValue)
            }
            // unnest keeps the plan's order: ids follow it. A shadow job is finished from the start.
            try await connection.rows(
                """
                INSERT INTO jobs (event_id, rule, action_index, kind, subject, request, origin, created_at, due_at,
                    effects, state, finished_at)
                SELECT \(eventID), rule, action_index, kind, subject, request, \(origin.rawValue), \(now), \(now),
                    effects, state, CASE WHEN state = 'shadow' THEN \(now)::bigint END
                FROM unnest(\(rules)::text[], \(indexes)::bigint[], \(kinds)::text[], \(subjects)::text[],
                    \(requests)::text[], \(effects)::text[], \(states)::text[])
                    WITH ORDINALITY AS p (rule, action_index, kind, subject, request, effects, state, position)
                ORDER BY position
                """, logger: logger)
            // Shadow jobs never run: only live ones wake the workers.
            if plan.jobs.contains(where: { !$0.shadow }) { try await notifyJobs(on: connection, logger: logger) }
        }
        for failure in plan.failures + plan.throttled {
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
}

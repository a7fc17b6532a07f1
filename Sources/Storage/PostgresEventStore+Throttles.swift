import ArtifactoryEvents
import Logging
import PostgresNIO

extension PostgresEventStore {
    /// The claims of `plan` whose window is open at `now` (microseconds); every other claim opens
    /// its window, from `now`, for `eventID`.
    ///
    /// One upsert per claim decides it: a new key, or one whose window has run out, takes the row
    /// and returns it; an open window returns nothing. A concurrent claim on the same key from
    /// another daemon waits on the row until this transaction ends and then sees its window, so
    /// of two daemons racing on one key exactly one wins.
    static func refusedClaims(
        of plan: EventPlan, eventID: Int64, now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<ThrottleClaim> {
        var refused: Set<ThrottleClaim> = []
        for claim in plan.throttleClaims {
            let won = try await connection.rows(
                """
                INSERT INTO throttles AS t (scope, key, expires_at, event_id)
                VALUES (\(claim.scope), \(claim.storedKey), \(now + microseconds(claim.window)), \(eventID))
                ON CONFLICT (scope, key) DO UPDATE
                SET expires_at = excluded.expires_at, event_id = excluded.event_id
                WHERE t.expires_at <= \(now)
                RETURNING event_id
                """, logger: logger
            ).collect()
            if won.isEmpty { refused.insert(claim) }
        }
        return refused
    }
}

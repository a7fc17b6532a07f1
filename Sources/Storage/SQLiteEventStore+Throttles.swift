import ArtifactoryEvents
import GRDB

extension SQLiteEventStore {
    /// The claims of `plan` whose window is open at `now` (microseconds); every other claim opens
    /// its window, from `now`, for `eventID`. Runs in the transaction that writes the plan: SQLite's
    /// single writer makes the read and the upsert one step.
    static func refusedClaims(of plan: EventPlan, eventID: Int64, now: Int64, in db: Database) throws
        -> Set<ThrottleClaim>
    {
        var refused: Set<ThrottleClaim> = []
        for claim in plan.throttleClaims {
            let open = try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT expires_at FROM throttles WHERE scope = ? AND key = ? AND expires_at > ?"),
                arguments: [claim.scope, claim.storedKey, now])
            if open != nil {
                refused.insert(claim)
                continue
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO throttles (scope, key, expires_at, event_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT (scope, key) DO UPDATE
                    SET expires_at = excluded.expires_at, event_id = excluded.event_id
                    """
            ).execute(arguments: [claim.scope, claim.storedKey, now + microseconds(claim.window), eventID])
        }
        return refused
    }
}

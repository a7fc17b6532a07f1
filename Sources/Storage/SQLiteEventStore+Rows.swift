import ArtifactoryEvents
import Foundation
import GRDB

extension SQLiteEventStore {
    static func fetchEvents(matching query: EventQuery, in db: Database) throws -> [StoredEvent] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let kind = query.kind {
            let parts = kind.split(separator: ".", maxSplits: 1).map(String.init)
            clauses.append("domain = ?")
            arguments += [parts[0]]
            if parts.count == 2, parts[1] != "*" {
                clauses.append("event_type = ?")
                arguments += [parts[1]]
            }
        }
        if let repo = query.repo {
            clauses.append("repo = ?")
            arguments += [repo]
        }
        if let prefix = query.pathPrefix {
            // substr comparison instead of LIKE: paths may contain % and _.
            clauses.append("substr(path, 1, ?) = ?")
            arguments += [prefix.count, prefix]
        }
        if let build = query.buildName {
            clauses.append("build_name = ?")
            arguments += [build]
        }
        if let since = query.since {
            clauses.append("received_at >= ?")
            // The events received since then are a range of ids: bounding the newest-first scan by
            // the smallest of them (found on the received_at index) keeps it from walking every
            // older row when fewer than `limit` match (a full scan with a million events stored).
            clauses.append("id >= (SELECT min(id) FROM events INDEXED BY events_received_at WHERE received_at >= ?)")
            arguments += [microseconds(since), microseconds(since)]
        }
        if let until = query.until {
            clauses.append("received_at < ?")
            arguments += [microseconds(until)]
        }
        if let endpoint = query.endpoint {
            clauses.append("endpoint = ?")
            arguments += [endpoint]
        }
        if let origin = query.origin {
            clauses.append("origin = ?")
            arguments += [origin]
        }
        if let arrival = query.arrival {
            clauses.append("arrival = ?")
            arguments += [arrival.rawValue]
        }
        if let beforeID = query.beforeID {
            clauses.append("id < ?")
            arguments += [beforeID]
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [query.limit]
        return try Row.fetchAll(
            db, sql: "SELECT * FROM events \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments
        ).map(storedEvent)
    }

    static func storedJob(_ row: Row) -> StoredJob {
        StoredJob(
            id: row["id"], eventID: row["event_id"], rule: row["rule"], actionIndex: row["action_index"],
            kind: row["kind"], subject: row["subject"], request: row["request"],
            origin: JobOrigin(rawValue: row["origin"]) ?? .ingest,
            state: StoredJob.State(rawValue: row["state"]) ?? .pending,
            attemptCount: row["attempt_count"], createdAt: date(microseconds: row["created_at"]),
            dueAt: date(microseconds: row["due_at"]),
            finishedAt: (row["finished_at"] as Int64?).map { date(microseconds: $0) }, lastError: row["last_error"])
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        let body: Data = row["body"]
        let fingerprint: Data = row["fingerprint"]
        return StoredEvent(
            id: row["id"], receivedAt: date(microseconds: row["received_at"]), endpoint: row["endpoint"],
            domain: row["domain"], eventType: row["event_type"], subject: row["subject"], repo: row["repo"],
            path: row["path"], buildName: row["build_name"], buildNumber: row["build_number"], body: Array(body),
            fingerprint: Digest.hex(fingerprint), duplicateOf: row["duplicate_of"],
            sourceAddress: row["source_address"], subscriptionKey: row["subscription_key"], origin: row["origin"],
            source: row["source"], hop: row["hop"], selfCaused: row["self_caused"],
            planDeferred: row["plan_deferred"], ignored: row["ignored"],
            arrival: EventArrival(rawValue: row["arrival"]) ?? .delivery
        )
    }
}

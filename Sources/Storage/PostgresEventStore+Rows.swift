import ArtifactoryEvents
import Foundation
import Logging
import NIOCore
import PostgresNIO

extension PostgresEventStore {
    static func storedEvent(_ row: PostgresRow) throws -> StoredEvent {
        let row = row.makeRandomAccess()
        let body = try row["body"].decode(ByteBuffer.self)
        let fingerprint = try row["fingerprint"].decode(ByteBuffer.self)
        return StoredEvent(
            id: try row["id"].decode(Int64.self),
            receivedAt: date(microseconds: try row["received_at"].decode(Int64.self)),
            endpoint: try row["endpoint"].decode(String.self), domain: try row["domain"].decode(String.self),
            eventType: try row["event_type"].decode(String.self), subject: try row["subject"].decode(String.self),
            repo: try row["repo"].decode(String?.self), path: try row["path"].decode(String?.self),
            buildName: try row["build_name"].decode(String?.self),
            buildNumber: try row["build_number"].decode(String?.self), body: Array(body.readableBytesView),
            fingerprint: Digest.hex(Array(fingerprint.readableBytesView)),
            duplicateOf: try row["duplicate_of"].decode(Int64?.self),
            sourceAddress: try row["source_address"].decode(String?.self),
            subscriptionKey: try row["subscription_key"].decode(String?.self),
            origin: try row["origin"].decode(String?.self), source: try row["source"].decode(String?.self),
            hop: try row["hop"].decode(Int.self), selfCaused: try row["self_caused"].decode(Bool.self),
            planDeferred: try row["plan_deferred"].decode(Bool.self), ignored: try row["ignored"].decode(String?.self),
            arrival: EventArrival(rawValue: try row["arrival"].decode(String.self)) ?? .delivery)
    }

    static func storedJob(_ row: PostgresRow) throws -> StoredJob {
        let row = row.makeRandomAccess()
        return StoredJob(
            id: try row["id"].decode(Int64.self), eventID: try row["event_id"].decode(Int64.self),
            rule: try row["rule"].decode(String.self), actionIndex: try row["action_index"].decode(Int.self),
            kind: try row["kind"].decode(String.self), subject: try row["subject"].decode(String.self),
            request: try row["request"].decode(String.self),
            origin: JobOrigin(rawValue: try row["origin"].decode(String.self)) ?? .ingest,
            state: StoredJob.State(rawValue: try row["state"].decode(String.self)) ?? .pending,
            attemptCount: try row["attempt_count"].decode(Int.self),
            createdAt: date(microseconds: try row["created_at"].decode(Int64.self)),
            dueAt: date(microseconds: try row["due_at"].decode(Int64.self)),
            finishedAt: try row["finished_at"].decode(Int64?.self).map { date(microseconds: $0) },
            lastError: try row["last_error"].decode(String?.self))
    }
}

extension PostgresConnection {
    /// `query` with its async row sequence (the overload `decode` and `collect` chain on).
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws
        -> PostgresRowSequence
    {
        try await self.query(query, logger: logger, file: file, line: line)
    }
}

extension AsyncSequence where Self: Sendable {
    /// Every element, in order (decoded rows, whose sequence has no `collect()`).
    func array() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Stream / Fetch Webhooks Troubleshooting Data at the platform root: filters, bounds, the stored
/// limit, and the refusals.
@Suite("The simulator's webhook troubleshooting store", .timeLimit(.minutes(1)))
struct TroubleshootingExamplesTests {
    static func record(_ timestamp: Int64, key: String = "hooks-a", status: Int? = 503) -> SimulatedDeliveryRecord {
        SimulatedDeliveryRecord.failed(
            timestamp: timestamp, subscriptionKey: key, targetURL: "https://hooks.example.com/webhooks/\(key)",
            payload: #"{"domain":"artifact","event_type":"deployed","data":{"path":"p\#(timestamp)"}}"#,
            status: status, eventID: "event-\(timestamp)")
    }

    static func get(_ client: any TestClientProtocol, _ query: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/event/api/v1/troubleshooting?" + query, method: .get, headers: LiveSimulator.headers())
    }

    /// The records of an answer, read as the daemon reads them.
    static func records(_ response: TestResponse) -> [TroubleshootingRecord] {
        var stream = TroubleshootingStream(maxRecordBytes: 1 << 20)
        let records = stream.append(Array(response.body.readableBytesView))
        stream.finish()
        #expect(stream.failure == nil)
        return records
    }

    @Test("start (inclusive), end (exclusive), count, subscription and target select the records, oldest first")
    func filters() async throws {
        try await LiveSimulator.run { simulator, client in
            for timestamp: Int64 in [30, 10, 20, 40] { simulator.state.recordDelivery(Self.record(timestamp)) }
            simulator.state.recordDelivery(Self.record(25, key: "hooks-b"))

            let all = Self.records(try await Self.get(client, "start=0&end=100"))
            #expect(all.map(\.timestamp) == [10, 20, 25, 30, 40])
            let first = try #require(all.first)
            #expect(first.subscriptionKey == "hooks-a" && first.eventID == "event-10" && first.responseStatus == 503)
            #expect(!first.delivered && first.errors.count == 1)
            let event = try WebhookEvent(body: try #require(first.payload))
            #expect(event.kind.description == "artifact.deployed")

            let window = Self.records(try await Self.get(client, "subscription=hooks-a&start=20&end=40"))
            #expect(window.map(\.timestamp) == [20, 30])
            let counted = Self.records(try await Self.get(client, "start=15&count=2"))
            #expect(counted.map(\.timestamp) == [20, 25])
            let target = Self.records(
                try await Self.get(
                    client, "start=0&end=100&target=https%3A%2F%2Fhooks.example.com%2Fwebhooks%2Fhooks-b"))
            #expect(target.map(\.timestamp) == [25])
        }
    }

    @Test(
        "a live stream (start alone), end or count without start, and bad numbers are refused with 400",
        arguments: ["start=0", "end=10", "count=5", "start=x&end=10", "start=0&count=0"])
    func refusedQueries(query: String) async throws {
        let response = try await LiveSimulator.run { _, client in try await Self.get(client, query) }
        #expect(response.status == .badRequest)
    }

    @Test("no store (self-hosted without Redis) is 404, no permission 403, no token 401")
    func refusals() async throws {
        try await LiveSimulator.run { simulator, client in
            simulator.state.troubleshootingStore = .missing
            #expect(try await Self.get(client, "start=0&end=10").status == .notFound)
            simulator.state.troubleshootingStore = .forbidden
            #expect(try await Self.get(client, "start=0&end=10").status == .forbidden)
            simulator.state.troubleshootingStore = .available
            #expect(try await Self.get(client, "start=0&end=10").status == .ok)
            let anonymous = try await client.execute(
                uri: "/event/api/v1/troubleshooting?start=0&end=10", method: .get, headers: [:])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("the store keeps the newest 10,000 records")
    func limit() {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: ["t"]))
        for timestamp in 0..<Int64(10_005) { simulator.state.recordDelivery(Self.record(timestamp)) }
        let kept = simulator.state.troubleshootingRecords
        #expect(kept.count == 10_000)
        #expect(kept.first?.timestamp == 5 && kept.last?.timestamp == 10_004)
    }
}

import AsyncHTTPClient
import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Storage
import Testing

@Suite("ingest.max_buffered_bytes bounds the bodies held at once", .timeLimit(.minutes(1)))
struct IngestBudgetTests {
    /// POSTs `body` to the webhook listener on a connection of its own: status, headers and body.
    static func post(
        _ body: [UInt8], port: Int, headers: HTTPFields
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/main")
        request.method = .POST
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        request.body = .bytes(body)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let text = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers, String(buffer: text))
    }

    @Test("while unsigned partial bodies fill the budget a delivery gets 503 with Retry-After; once they go, 202")
    func budgetRefusesThenAccepts() async throws {
        // Given a budget of 4096 bytes and bodies of at most 2048
        let daemon = try TestDaemon(
            extra: "ingest:\n  max_body_bytes: 2KiB\n  max_buffered_bytes: 4KiB\n  body_timeout: 30s\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        let body = try Fixtures.bytes("events/artifact/deployed.json")
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // When two clients with a forged signature send part of a body and stop: one declares
            // 2000 bytes, one sends 2000 bytes chunked without the last chunk.
            let forged = "X-JFrog-Event-Auth: \(String(repeating: "ab", count: 32))\r\n"
            let head = "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + forged
            let held = [
                try HeldConnection(port: port, sending: head + "Content-Length: 2000\r\n\r\n{\"a\":"),
                try HeldConnection(
                    port: port,
                    sending: head + "Transfer-Encoding: chunked\r\n\r\n7d0\r\n" + String(repeating: " ", count: 2000)
                        + "\r\n"),
            ]
            defer { for connection in held { connection.close() } }
            _ = try await admin.scrape { $0.value("artifactory_hooks_ingest_buffered_bytes") ?? 0 >= 4000 }

            // Then a signed delivery does not fit: 503, Retry-After, and nothing stored
            let refused = try await Self.post(body, port: port, headers: signedHeaders(body))
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] == ["5"])
            #expect(refused.body.contains(#""error":"over_budget""#), "\(refused.body)")
            #expect(try await daemon.storedEvents().isEmpty)
            let metrics = try await admin.scrape()
            #expect(metrics.value("artifactory_hooks_ingest_budget_refusals_total") == 1)
            #expect(
                metrics.value(
                    "artifactory_hooks_events_received_total",
                    ["endpoint": "main", "outcome": "rejected", "reason": "over_budget"]) == 1)

            // When the partial bodies' clients go away, their bytes are given back
            for connection in held { connection.close() }
            _ = try await admin.scrape { $0.value("artifactory_hooks_ingest_buffered_bytes") == 0 }

            // Then the same delivery is accepted and stored
            let accepted = try await Self.post(body, port: port, headers: signedHeaders(body))
            #expect(accepted.status == 202, "\(accepted.body)")
            #expect(try await daemon.storedEvents().map(\.body) == [body])
            _ = try await admin.scrape { $0.value("artifactory_hooks_ingest_buffered_bytes") == 0 }
        }
    }

    @Test("a chunked body that outgrows the budget is refused with 503 and its connection closed")
    func chunkedOutgrowsBudget() async throws {
        let daemon = try TestDaemon(
            extra: "ingest:\n  max_body_bytes: 4KiB\n  max_buffered_bytes: 4KiB\n  body_timeout: 30s\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let forged = "X-JFrog-Event-Auth: \(String(repeating: "ab", count: 32))\r\n"
            let head = "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + forged
            let held = try HeldConnection(port: port, sending: head + "Content-Length: 3000\r\n\r\n{")
            defer { held.close() }
            _ = try await admin.scrape { $0.value("artifactory_hooks_ingest_buffered_bytes") == 3000 }

            // 2000 bytes chunked do not fit beside the 3000 held: refused while it streams in.
            let chunk = Array("7d0\r\n".utf8) + Array(repeating: UInt8(ascii: " "), count: 2000) + Array("\r\n".utf8)
            let outcome = try await floodHTTP(
                port: port, head: head + "Transfer-Encoding: chunked\r\n\r\n", piece: chunk, limit: .seconds(3))
            #expect(outcome.response.hasPrefix("HTTP/1.1 503"), "\(outcome.response)")
            #expect(outcome.response.contains("over_budget"), "\(outcome.response)")
            #expect(outcome.closedAfter != nil)
            let metrics = try await admin.scrape { $0.value("artifactory_hooks_ingest_buffered_bytes") == 3000 }
            #expect(metrics.value("artifactory_hooks_ingest_budget_refusals_total") == 1)
        }
    }
}

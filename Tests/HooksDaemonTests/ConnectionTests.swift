import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite("Connections that must not carry another request are closed", .timeLimit(.minutes(1)))
struct ConnectionTests {
    /// Bytes a client can push into the two socket buffers of a loopback connection the server
    /// stops reading, with room to spare; a server that reads on takes far more in the same time.
    static let unreadBound = 32 << 20

    @Test(
        "a body declared larger than the limit is answered at once, the connection closes, the rest is not read",
        arguments: [("/webhooks/main", "413"), ("/webhooks/nope", "404")])
    func declaredTooLarge(path: String, status: String) async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Given a client that declares 100 GB and keeps sending
            let outcome = try await floodHTTP(
                port: port,
                head: "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000000\r\n\r\n",
                piece: Array(repeating: UInt8(ascii: "x"), count: 64 << 10), limit: .seconds(6))
            // Then it is answered, told the connection closes, and the daemon closes it
            #expect(outcome.response.hasPrefix("HTTP/1.1 \(status)"), "\(outcome.response)")
            #expect(outcome.response.lowercased().contains("connection: close"), "\(outcome.response)")
            let closedAfter = try #require(outcome.closedAfter, "still open; \(outcome.bytesSent) bytes sent")
            #expect(closedAfter < .seconds(4))
            #expect(outcome.bytesSent < Self.unreadBound, "\(outcome.bytesSent) bytes sent")
            #expect(try await daemon.storedEvents().isEmpty)
        }
    }

    @Test("a chunked body that passes the limit gets 413, the connection closes, the rest is not read")
    func chunkedTooLarge() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  max_body_bytes: 64KiB\n")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let chunk = Array("1000\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 4096) + Array("\r\n".utf8)
            let outcome = try await floodHTTP(
                port: port,
                head: "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "X-JFrog-Event-Auth: \(String(repeating: "0", count: 64))\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n",
                piece: Array([[UInt8]](repeating: chunk, count: 16).joined()), limit: .seconds(6))
            #expect(outcome.response.hasPrefix("HTTP/1.1 413"), "\(outcome.response)")
            #expect(outcome.response.lowercased().contains("connection: close"), "\(outcome.response)")
            let closedAfter = try #require(outcome.closedAfter, "still open; \(outcome.bytesSent) bytes sent")
            #expect(closedAfter < .seconds(4))
            #expect(outcome.bytesSent < Self.unreadBound, "\(outcome.bytesSent) bytes sent")
            #expect(try await daemon.storedEvents().isEmpty)
        }
    }

    @Test("HTTP/1.0 without keep-alive: the webhook listener answers, then closes the connection")
    func http10Webhook() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = try Fixtures.bytes("events/artifact/deployed.json")
        let signature = try #require(signedHeaders(body)[.init("X-JFrog-Event-Auth")!])
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // rawHTTP reads until the server closes, or gives up after 10 s; the idle timeout is 60 s.
            var started = ContinuousClock.now
            let health = try await rawHTTP(port: port, request: "GET /healthz HTTP/1.0\r\n\r\n")
            var waited = ContinuousClock.now - started
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
            #expect(waited < .seconds(6), "closed after \(waited)")

            started = ContinuousClock.now
            let delivery = try await rawHTTP(
                port: port,
                request: "POST /webhooks/main HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "X-JFrog-Event-Auth: \(signature)\r\nContent-Length: \(body.count)\r\n\r\n"
                    + String(decoding: body, as: UTF8.self))
            waited = ContinuousClock.now - started
            #expect(delivery.hasPrefix("HTTP/1.1 202"), "\(delivery)")
            #expect(delivery.lowercased().contains("connection: close"), "\(delivery)")
            #expect(waited < .seconds(6), "closed after \(waited)")
            #expect(try await daemon.storedEvents().map(\.body) == [body])
        }
    }

    @Test("HTTP/1.0 without keep-alive: the admin listener's /healthz answers, then closes the connection")
    func http10Admin() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { _ in
            let port = try await admin.waitForPort()
            let started = ContinuousClock.now
            let health = try await rawHTTP(port: port, request: "GET /healthz HTTP/1.0\r\n\r\n")
            let waited = ContinuousClock.now - started
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
            #expect(waited < .seconds(6), "closed after \(waited)")
        }
    }
}

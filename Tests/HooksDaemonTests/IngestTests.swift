import ArtifactoryEvents
import Foundation
import GRDB
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing

/// Signs `body` for `mode` with `secret` and returns the header fields of a delivery.
func signedHeaders(_ body: [UInt8], mode: AuthMode = .hmacSHA256, secret: String = TestDaemon.secret) -> HTTPFields {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let value = SignatureVerifier.header(mode: mode, secret: secret, body: body) {
        headers[HTTPField.Name("X-JFrog-Event-Auth")!] = value
    }
    return headers
}

/// Decodes a 202 body.
struct Acknowledgement: Decodable {
    let event_id: Int64
    let duplicate: Bool
    let planned: Int
}

@Suite("Ingest over a live listener", .timeLimit(.minutes(1)))
struct IngestTests {
    @Test("a signed delivery is answered 202 after it is in the SQLite file")
    func acceptsSignedEvent() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = try Fixtures.bytes("events/artifact/deployed.json")

        try await app.test(.live) { client in
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            #expect(response.status == .accepted)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let ack = try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
            #expect(String(buffer: response.body) == #"{"event_id":\#(ack.event_id),"duplicate":false,"planned":0}"#)
            #expect(ack.duplicate == false)
            #expect(ack.planned == 0)

            // Read back through a second connection, as `events list` would.
            let stored = try await daemon.storedEvents()
            #expect(stored.count == 1)
            #expect(stored.first?.id == ack.event_id)
            #expect(stored.first?.body == body)
            #expect(stored.first?.kind == "artifact.deployed")
            #expect(stored.first?.sourceAddress == "127.0.0.1")
        }
    }

    @Test("every fixture is accepted and stored with its kind", arguments: Fixtures.eventFiles())
    func acceptsEveryFixture(file: String) async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = try Fixtures.bytes("events/" + file)
        let event = try WebhookEvent(body: body)
        try await app.test(.live) { client in
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            #expect(response.status == .accepted)
            let stored = try await daemon.storedEvents()
            #expect(stored.map(\.kind) == [event.kind.description])
            #expect(stored.first?.body == body)
        }
    }

    @Test("a repeat is acknowledged as a duplicate and stored as one")
    func duplicate() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = try Fixtures.bytes("events/build/uploaded.json")
        try await app.test(.live) { client in
            var acks: [Acknowledgement] = []
            for _ in 0..<3 {
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
                #expect(response.status == .accepted)
                acks.append(try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView)))
            }
            #expect(acks.map(\.duplicate) == [false, true, true])
            let stored = try await daemon.storedEvents()
            #expect(stored.map(\.duplicateOf) == [nil, acks[0].event_id, acks[0].event_id])
        }
    }

    @Test("the dedup window runs on the daemon's clock: past it, the same body is a new original")
    func dedupWindowOnTheClock() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let config = try daemon.config()
        let clock = ManualClock()
        let app = try await buildApplication(config: config, logger: TestDaemon.logger, clock: clock)
        let body = try Fixtures.bytes("events/build/uploaded.json")
        try await app.test(.live) { client in
            func deliver() async throws -> Acknowledgement {
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
                #expect(response.status == .accepted)
                return try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
            }
            let first = try await deliver()
            clock.advance(by: config.ingest.dedupWindow - .seconds(1))
            let inside = try await deliver()
            clock.advance(by: .seconds(2))
            let past = try await deliver()
            #expect([first, inside, past].map(\.duplicate) == [false, true, false])
            #expect(inside.event_id != first.event_id && past.event_id != first.event_id)
            let stored = try await daemon.storedEvents()
            #expect(stored.map(\.duplicateOf) == [nil, first.event_id, nil])
        }
    }

    @Test("every secret of a rotation, every auth mode")
    func authModes() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let cases: [(endpoint: String, mode: AuthMode, secret: String)] = [
                ("main", .hmacSHA256, "main-secret-value"),
                ("main", .hmacSHA256, "old-secret-value"),
                ("tok", .token, "main-secret-value"),
                ("legacy", .hmacSHA1, "main-secret-value"),
                ("open", .none, ""),
            ]
            for (index, item) in cases.enumerated() {
                let body = Array(
                    #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"p/\#(index)"}}"#.utf8)
                let response = try await client.execute(
                    uri: "/webhooks/\(item.endpoint)", method: .post,
                    headers: signedHeaders(body, mode: item.mode, secret: item.secret), body: ByteBuffer(bytes: body))
                #expect(response.status == .accepted, "\(item.endpoint) \(item.mode)")
            }
            #expect(try await daemon.storedEvents().map(\.endpoint) == ["main", "main", "tok", "legacy", "open"])
        }
    }

    /// A request that must be refused, and the answer it must get.
    struct BadRequest: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let method: HTTPRequest.Method
        let headers: @Sendable ([UInt8]) -> HTTPFields
        let body: [UInt8]
        let status: HTTPResponse.Status
        let code: String

        var testDescription: String { name }

        static let event = Array(
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a"}}"#.utf8)

        static let all: [BadRequest] = [
            BadRequest(
                name: "no signature", path: "/webhooks/main", method: .post,
                headers: { _ in [.contentType: "application/json"] }, body: event, status: .unauthorized,
                code: "unauthorized"),
            BadRequest(
                name: "signature with a wrong secret", path: "/webhooks/main", method: .post,
                headers: { signedHeaders($0, secret: "guess") }, body: event, status: .unauthorized,
                code: "unauthorized"),
            BadRequest(
                name: "signature of another body", path: "/webhooks/main", method: .post,
                headers: { _ in signedHeaders(Array("{}".utf8)) }, body: event, status: .unauthorized,
                code: "unauthorized"),
            BadRequest(
                name: "the secret itself sent to an HMAC endpoint", path: "/webhooks/main", method: .post,
                headers: { signedHeaders($0, mode: .token) }, body: event, status: .unauthorized, code: "unauthorized"),
            BadRequest(
                name: "wrong token", path: "/webhooks/tok", method: .post,
                headers: { signedHeaders($0, mode: .token, secret: "main-secret-valu") }, body: event,
                status: .unauthorized, code: "unauthorized"),
            BadRequest(
                name: "not JSON", path: "/webhooks/main", method: .post, headers: { signedHeaders($0) },
                body: Array("event_type=deployed".utf8), status: .badRequest, code: "not_json"),
            BadRequest(
                name: "no event type", path: "/webhooks/main", method: .post, headers: { signedHeaders($0) },
                body: Array(#"{"domain":"artifact","data":{}}"#.utf8), status: .badRequest, code: "missing_event_type"),
            BadRequest(
                name: "a JSON array", path: "/webhooks/main", method: .post, headers: { signedHeaders($0) },
                body: Array("[]".utf8), status: .badRequest, code: "not_an_object"),
            BadRequest(
                name: "unknown endpoint", path: "/webhooks/nope", method: .post, headers: { signedHeaders($0) },
                body: event, status: .notFound, code: "unknown_endpoint"),
            BadRequest(
                name: "GET", path: "/webhooks/main", method: .get, headers: { _ in [:] }, body: [],
                status: .methodNotAllowed, code: "method_not_allowed"),
            BadRequest(
                name: "PUT", path: "/webhooks/main", method: .put, headers: { signedHeaders($0) }, body: event,
                status: .methodNotAllowed, code: "method_not_allowed"),
            BadRequest(
                name: "over the size limit", path: "/webhooks/main", method: .post, headers: { signedHeaders($0) },
                body: Array(#"{"event_type":"deployed","pad":""#.utf8)
                    + Array(repeating: UInt8(ascii: "x"), count: 2048)
                    + Array(#""}"#.utf8),
                status: .contentTooLarge, code: "body_too_large"),
            BadRequest(
                name: "wrong content type", path: "/webhooks/main", method: .post,
                headers: {
                    var headers = signedHeaders($0)
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    return headers
                }, body: event, status: .unsupportedMediaType, code: "unsupported_media_type"),
            BadRequest(
                name: "a NUL character in event_type", path: "/webhooks/main", method: .post,
                headers: { signedHeaders($0) }, body: Array(#"{"event_type":"\u0000deployed"}"#.utf8),
                status: .badRequest, code: "nul_character"),
            BadRequest(
                name: "a NUL character in the path", path: "/webhooks/main", method: .post,
                headers: { signedHeaders($0) },
                body: Array(
                    #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a\u0000b"}}"#.utf8),
                status: .badRequest, code: "nul_character"),
            BadRequest(
                name: "OPTIONS", path: "/webhooks/main", method: .options, headers: { _ in [:] }, body: [],
                status: .methodNotAllowed, code: "method_not_allowed"),
            BadRequest(
                name: "no endpoint name", path: "/webhooks", method: .post, headers: { signedHeaders($0) }, body: event,
                status: .notFound, code: "unknown_endpoint"),
            BadRequest(
                name: "no endpoint name after the slash", path: "/webhooks/", method: .post,
                headers: { signedHeaders($0) }, body: event, status: .notFound, code: "unknown_endpoint"),
            BadRequest(
                name: "a path below the endpoint", path: "/webhooks/main/extra", method: .post,
                headers: { signedHeaders($0) }, body: event, status: .notFound, code: "unknown_endpoint"),
            BadRequest(
                name: "a content type that is only a semicolon", path: "/webhooks/main", method: .post,
                headers: {
                    var headers = signedHeaders($0)
                    headers[.contentType] = ";"
                    return headers
                }, body: event, status: .unsupportedMediaType, code: "unsupported_media_type"),
        ]
    }

    @Test("bad requests get a clear error, store nothing and leak no secret", arguments: BadRequest.all)
    func refuses(bad: BadRequest) async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  max_body_bytes: 1KiB\n")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let response = try await client.execute(
                uri: bad.path, method: bad.method, headers: bad.headers(bad.body), body: ByteBuffer(bytes: bad.body))
            #expect(response.status == bad.status)
            let text = String(buffer: response.body)
            let answer = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            #expect(answer["error"] == bad.code)
            #expect(!(answer["message"] ?? "").isEmpty)
            #expect(!text.contains("secret-value"))
            if bad.status == .methodNotAllowed { #expect(response.headers[.allow] == "POST") }
            #expect(try await daemon.storedEvents().isEmpty)

            if bad.status == .contentTooLarge { #expect(response.headers[.connection] == "close") }

            // The daemon still takes a good delivery afterwards, on the same connection unless the
            // answer closed it (a refusal before the whole body had arrived).
            let good = try Fixtures.bytes("events/artifact/deployed.json")
            if response.headers[.connection] == "close" {
                let port = try #require(client.port)
                let after = try await IngestBudgetTests.post(good, port: port, headers: signedHeaders(good))
                #expect(after.status == 202)
            } else {
                let after = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(good), body: ByteBuffer(bytes: good))
                #expect(after.status == .accepted)
            }
        }
    }

    @Test("a refused delivery is logged with its endpoint, source and reason")
    func refusalLogged() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let lines = LogLines()
        let logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .warning, output: lines.output)
        }
        let app = try await buildApplication(config: try daemon.config(), logger: logger)
        let body = try Fixtures.bytes("events/artifact/deployed.json")
        try await app.test(.live) { client in
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body, secret: "not-the-secret"),
                body: ByteBuffer(bytes: body))
            #expect(response.status == .unauthorized)
        }
        let refusals = lines.all.filter { $0.contains("Rejected a delivery with a missing or invalid signature") }
        #expect(refusals.count == 1)
        for field in ["endpoint=main", "error.code=unauthorized", "source.address=127.0.0.1"] {
            #expect(refusals.first?.contains(field) == true, "\(field) in \(refusals)")
        }
    }

    /// A well-formed signature header that matches no body: without one, the daemon refuses a
    /// delivery before reading its body.
    static let forgedSignature = "X-JFrog-Event-Auth: \(String(repeating: "ab", count: 32))\r\n"

    @Test("a connection that stops sending is closed after ingest.idle_timeout; nothing is stored")
    func idleConnectionClosed() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  idle_timeout: 1s\n")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            // Half a request, then silence: the reader gives up after 10 s unless the daemon closes.
            _ = try await rawHTTP(port: port, request: "POST /webhooks/main HTTP/1.1\r\nHost: x\r\n")
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(900) && waited < .seconds(5), "closed after \(waited)")
            #expect(try await daemon.storedEvents().isEmpty)
        }
    }

    @Test("a body that trickles in is cut off after ingest.body_timeout: the connection closes, nothing is stored")
    func slowBodyRefused() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  body_timeout: 1s\n")
        defer { daemon.directory.remove() }
        let lines = LogLines()
        let logger = Logger(label: "artifactory-hooks") { label in
            JournalLogHandler(label: label, level: .warning, output: lines.output)
        }
        let app = try await buildApplication(config: try daemon.config(), logger: logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let started = ContinuousClock.now
            // A byte every 200 ms never lets the idle timeout (60 s) fire.
            let answer = try await trickleHTTP(
                port: port,
                head:
                    "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + Self.forgedSignature + "Content-Length: 1000\r\n\r\n{"
            )
            let waited = ContinuousClock.now - started
            #expect(answer.isEmpty, "\(answer)")
            #expect(waited >= .milliseconds(900) && waited < .seconds(5), "closed after \(waited)")
            #expect(try await daemon.storedEvents().isEmpty)
        }
        #expect(lines.all.contains { $0.contains("error.code=body_timeout") }, "\(lines.all)")
    }

    @Test("a body over the limit without Content-Length (chunked) is refused too")
    func chunkedTooLarge() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  max_body_bytes: 1KiB\n")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = Array(repeating: UInt8(ascii: "x"), count: 4096)
            let answer = try await rawHTTP(
                port: port,
                request:
                    "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + Self.forgedSignature
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n1000\r\n"
                    + String(decoding: body, as: UTF8.self) + "\r\n0\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(try await daemon.storedEvents().isEmpty)
        }
    }

    @Test("when the store cannot commit the answer is 503, never 2xx; readyz says so")
    func storeFailure() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            // Break the real database file from outside, as a full or read-only disk would.
            let queue = try DatabaseQueue(path: daemon.databasePath)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END;
                        CREATE TRIGGER refuse_health BEFORE UPDATE ON store_health BEGIN SELECT RAISE(ABORT, 'disk full'); END;
                        CREATE TRIGGER refuse_health_insert BEFORE INSERT ON store_health BEGIN SELECT RAISE(ABORT, 'disk full'); END;
                        """)
            }
            try queue.close()
            let body = try Fixtures.bytes("events/artifact/deployed.json")
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
            let text = String(buffer: response.body)
            #expect(text.contains("store_unavailable"))
            #expect(!text.contains("disk full"))
            // readyz reuses its last answer for a second, then checks again.
            let deadline = ContinuousClock.now + .seconds(5)
            var readyz = try await client.execute(uri: "/readyz", method: .get)
            while readyz.status == .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                readyz = try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(readyz.status == .serviceUnavailable)
            // readyz says why, in the store's words, for the operator.
            #expect(String(buffer: readyz.body).contains("does not accept writes: disk full"), "\(readyz.body)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test("a flood of /readyz on the webhook listener makes at most one store write a second")
    func readinessFlood() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            // Count the readiness writes with a trigger on the real file.
            let queue = try DatabaseQueue(path: daemon.databasePath)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE health_writes (at INTEGER);
                        CREATE TRIGGER count_health_update AFTER UPDATE ON store_health
                            BEGIN INSERT INTO health_writes VALUES (1); END;
                        CREATE TRIGGER count_health_insert AFTER INSERT ON store_health
                            BEGIN INSERT INTO health_writes VALUES (1); END;
                        """)
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await client.execute(uri: "/readyz", method: .get).status }
                }
                for try await status in group { #expect(status == .ok) }
            }
            let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
            let writes = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM health_writes") }
            try queue.close()
            #expect((writes ?? 0) >= 1)
            #expect(Double(writes ?? 0) <= seconds + 1, "\(writes ?? 0) writes in \(seconds) s")
        }
    }

    @Test("health endpoints answer on a healthy daemon")
    func health() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.router) { client in
            let healthz = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthz.status == .ok)
            let readyz = try await client.execute(uri: "/readyz", method: .get)
            #expect(readyz.status == .ok)
            #expect(String(buffer: readyz.body) == #"{"status":"ready"}"#)
        }
    }

    @Test("concurrent deliveries are all stored, each once")
    func concurrent() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let body = Array(
                            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"c/\#(index)"}}"#
                                .utf8)
                        let response = try await client.execute(
                            uri: "/webhooks/main", method: .post, headers: signedHeaders(body),
                            body: ByteBuffer(bytes: body))
                        return try JSONDecoder().decode(
                            Acknowledgement.self, from: Data(response.body.readableBytesView)
                        ).event_id
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(ids.count == 100)
            #expect(Set(try await daemon.storedEvents().map(\.id)) == ids)
        }
    }
}

@Suite("Which content types are JSON")
struct ContentTypeTests {
    @Test(
        "application/json and application/*+json, in any case, with parameters and spaces",
        arguments: [
            "application/json", "APPLICATION/JSON", "application/json; charset=utf-8", " application/json\t;x=y",
            "application/vnd.jfrog+json", "Application/Problem+JSON ; charset=utf-8",
        ])
    func json(contentType: String) {
        #expect(IngestController.isJSON(contentType))
    }

    @Test(
        "anything else is not, and no header text breaks the check",
        arguments: [
            "", ";", " ; ", "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "json",
            "application/", "text/json", "application/json+xml", "applicationjson", "é/json",
        ])
    func notJSON(contentType: String) {
        #expect(!IngestController.isJSON(contentType))
    }
}

import AsyncHTTPClient
import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing
import YAMLDiagnostics

@Suite("Connection caps: ingest.max_connections and admin.max_connections")
struct ConnectionCapConfigTests {
    static let open = "endpoints:\n  - name: main\n    auth: none\n"

    @Test("the caps default to 512 and 64, are read from the file and the environment, and 0 is reported at its line")
    func readsCaps() throws {
        let defaults = try DaemonConfig.parse(text: Self.open, file: "c.yml", environment: [:])
        #expect(defaults.ingest.maxConnections == 512)
        #expect(defaults.admin.maxConnections == 64)

        let set = try DaemonConfig.parse(
            text: "ingest:\n  max_connections: 100\nadmin:\n  max_connections: 8\n" + Self.open, file: "c.yml",
            environment: [:])
        #expect(set.ingest.maxConnections == 100)
        #expect(set.admin.maxConnections == 8)

        let overridden = try DaemonConfig.parse(
            text: "ingest:\n  max_connections: 100\n" + Self.open, file: "c.yml",
            environment: [
                "ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS": "300", "ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS": "5",
            ])
        #expect(overridden.ingest.maxConnections == 300)
        #expect(overridden.admin.maxConnections == 5)

        #expect {
            try DaemonConfig.parse(
                text: "ingest:\n  max_connections: 0\nadmin:\n  max_connections: many\n  idle: 1s\n" + Self.open,
                file: "c.yml", environment: ["ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS": "-1"])
        } throws: { error in
            let messages = (error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []
            return messages.contains(
                "c.yml:2:20: error: ingest.max_connections: must be at least 1 (connections held at once, such as 512)")
                && messages.contains(
                    #"c.yml:4:20: error: admin.max_connections: expected a whole number, found "many""#)
                && messages.contains { $0.contains("c.yml:5:3") && $0.contains("idle") }
                && messages.contains {
                    $0.contains("ARTIFACTORY_HOOKS_ADMIN_MAX_CONNECTIONS: must be at least 1, found \"-1\"")
                }
        }
    }

    @Test(
        "caps that do not fit beside the reserved descriptors are lowered in proportion",
        arguments: [
            // soft limit, configured (ingest, admin), effective (ingest, admin)
            (65536, ConnectionCaps(ingest: 512, admin: 64), ConnectionCaps(ingest: 512, admin: 64)),
            (1024, ConnectionCaps(ingest: 512, admin: 64), ConnectionCaps(ingest: 512, admin: 64)),
            (256, ConnectionCaps(ingest: 512, admin: 64), ConnectionCaps(ingest: 113, admin: 15)),
            (256, ConnectionCaps(ingest: 512, admin: nil), ConnectionCaps(ingest: 128, admin: nil)),
            (100, ConnectionCaps(ingest: 512, admin: 64), ConnectionCaps(ingest: 1, admin: 1)),
        ])
    func fitsDescriptorLimit(soft: Int, configured: ConnectionCaps, effective: ConnectionCaps) {
        let limit = DescriptorLimit(soft: soft, hard: soft)
        #expect(configured.fitting(limit) == effective)
        if let admin = effective.admin, soft >= 256 {
            #expect(effective.ingest + admin + limit.reserved <= soft)
        }
    }
}

@Suite("Connection caps on live listeners", .timeLimit(.minutes(1)))
struct ConnectionCapTests {
    static let body = Array(#"{"domain":"artifact","event_type":"deployed","data":{"path":"a.jar"}}"#.utf8)

    /// Posts a signed delivery on a connection of its own; the status.
    static func deliver(port: Int) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/main")
        request.method = .POST
        for field in signedHeaders(body) { request.headers.add(name: field.name.rawName, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let status: Int
        do {
            status = Int(try await client.execute(request, timeout: .seconds(10)).status.code)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return status
    }

    /// GETs `path` from 127.0.0.1:`port` on a connection of its own (a pooled idle connection may
    /// be the one a listener at its cap closes): the status and the body.
    static func fetch(port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 22)
            try await client.shutdown()
            return (Int(response.status.code), String(buffer: body))
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    /// Scrapes the admin listener's `/metrics` until `condition` holds (up to about 10 s).
    static func scrape(_ admin: AdminListener, until condition: (MetricsText) -> Bool) async throws -> MetricsText {
        let port = try await admin.waitForPort()
        var last = MetricsText("")
        for _ in 0..<200 {
            last = MetricsText(try await fetch(port: port, "/metrics").body)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the metrics never reached the expected state")
        return last
    }

    @Test("past ingest.max_connections idle connections make room: a signed delivery still gets 202")
    func idleConnectionsMakeRoom() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  max_connections: 8\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Given far more idle clients than the cap, some silent, some stopped inside a head…
            let silent = try await HeldConnections(port: port, count: 30)
            let halfHead = try await HeldConnections(port: port, count: 30, sending: "POST /webhooks/main HTTP/1.1\r\n")
            #expect(silent.count + halfHead.count == 60)
            // …the daemon holds no more than the cap,
            let scrape = try await Self.scrape(admin) { metrics in
                metrics.value("artifactory_hooks_connections_shed_total", ["listener": "ingest", "reason": "evicted"])
                    ?? 0 >= 52
            }
            #expect(scrape.value("artifactory_hooks_connections_open", ["listener": "ingest"]) ?? 99 <= 8)
            #expect(scrape.value("artifactory_hooks_connections_shed_total", ["reason": "refused"]) == 0)
            // …and a delivery on a new connection still gets in: it takes the place of the
            // connection idle longest.
            #expect(try await Self.deliver(port: port) == 202)
            #expect(silent.closedByServer + halfHead.closedByServer >= 52)
            silent.close()
            halfHead.close()
        }
    }

    @Test("when every connection has a request under way, a new one is closed at once and counted")
    func busyConnectionsRefuseNew() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  max_connections: 2\n  body_timeout: 30s\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Given two signed deliveries whose bodies have not arrived (the cap: both busy), one
            // after the other so that the first is busy (its head read) before the second needs room…
            let head =
                "POST /webhooks/main HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + IngestTests.forgedSignature + "Content-Length: 100\r\n\r\n{"
            let first = try await HeldConnections(port: port, count: 1, sending: head)
            try await Task.sleep(for: .milliseconds(500))
            let second = try await HeldConnections(port: port, count: 1, sending: head)
            try await Task.sleep(for: .milliseconds(500))
            let full = try await Self.scrape(admin) {
                $0.value("artifactory_hooks_connections_open", ["listener": "ingest"]) == 2
            }
            #expect(
                full.value("artifactory_hooks_connections_open", ["listener": "ingest"]) == 2,
                "\(full.samples.filter { $0.name.contains("connections") })")
            // …a third connection is closed without an answer, and the busy ones stay.
            let started = ContinuousClock.now
            let answer = try await rawHTTP(port: port, request: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer.isEmpty, "\(answer)")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(first.closedByServer + second.closedByServer == 0)
            let scrape = try await Self.scrape(admin) {
                $0.value("artifactory_hooks_connections_shed_total", ["listener": "ingest", "reason": "refused"]) == 1
            }
            // The test client's own idle connection, if it had one, made room for the second: no more.
            #expect(scrape.value("artifactory_hooks_connections_shed_total", ["reason": "evicted"]) ?? 0 <= 1)
            first.close()
            second.close()
            // Once they close, connections are taken again.
            _ = try await Self.scrape(admin) {
                $0.value("artifactory_hooks_connections_open", ["listener": "ingest"]) == 0
            }
            #expect(try await Self.deliver(port: port) == 202)
        }
    }

    @Test("an idle admin connection is closed after ingest.idle_timeout, as a webhook connection is")
    func adminIdleTimeout() async throws {
        let daemon = try TestDaemon(extra: "ingest:\n  idle_timeout: 1s\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { _ in
            let port = try await admin.waitForPort()
            let started = ContinuousClock.now
            // Half a request, then silence: the reader gives up after 10 s unless the daemon closes.
            let answer = try await rawHTTP(port: port, request: "GET /healthz HTTP/1.1\r\nHost: x\r\n")
            let waited = ContinuousClock.now - started
            #expect(answer.isEmpty, "\(answer)")
            #expect(waited >= .milliseconds(900) && waited < .seconds(5), "closed after \(waited)")
        }
    }

    @Test("past admin.max_connections idle admin connections make room: /healthz still answers")
    func adminCap() async throws {
        let daemon = try TestDaemon(extra: "admin:\n  max_connections: 4\n")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { _ in
            let idle = try await HeldConnections(port: try await admin.waitForPort(), count: 40)
            #expect(idle.count == 40)
            let scrape = try await Self.scrape(admin) {
                $0.value("artifactory_hooks_connections_shed_total", ["listener": "admin", "reason": "evicted"])
                    ?? 0 >= 36
            }
            #expect(scrape.value("artifactory_hooks_connections_open", ["listener": "admin"]) ?? 99 <= 4)
            #expect(try await Self.fetch(port: try await admin.waitForPort(), "/healthz").status == 200)
            idle.close()
        }
    }
}

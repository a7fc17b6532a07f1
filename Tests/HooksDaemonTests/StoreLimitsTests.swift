import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

/// What a signed sender can make the daemon keep: duplicates' bodies, `store.max_bytes`,
/// `endpoints[].rate_limit`.
@Suite("Store limits over a live listener", .timeLimit(.minutes(3)))
struct StoreLimitsTests {
    /// An artifact.deployed body for `path`, padded to about `size` bytes with a field the daemon
    /// keeps but does not read.
    static func body(path: String, size: Int) -> [UInt8] {
        let padding = String(repeating: "x", count: max(0, size - 200))
        return Array(
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"a.jar","size":5,"padding":"\#(padding)"}}"#
                .utf8)
    }

    /// Posts `body` to `endpoint`, signed with `secret`.
    static func post(
        _ client: some TestClientProtocol, _ body: [UInt8], endpoint: String = "main",
        secret: String = TestDaemon.secret
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/webhooks/\(endpoint)", method: .post, headers: signedHeaders(body, secret: secret),
            body: ByteBuffer(bytes: body))
    }

    @Test("100 identical deliveries of a 512 KiB body store it once; show and replay of a duplicate work")
    func duplicatesStoreNoBody() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = Self.body(path: "big/a.jar", size: 512 << 10)
        try await app.test(.live) { client in
            let first = try await Self.post(client, body)
            #expect(first.status == .accepted)
            let store = try await daemon.openStore()
            let before = try await store.storeSize()
            var duplicates: [Int64] = []
            for _ in 0..<99 {
                let response = try await Self.post(client, body)
                #expect(response.status == .accepted)
                let ack = try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
                #expect(ack.duplicate)
                duplicates.append(ack.event_id)
            }
            let after = try await store.storeSize()
            // 99 duplicates: a row each (fingerprint, time, endpoint, kind, subject), no body.
            #expect(after - before < 64 << 10, "grew \(after - before) bytes for 99 duplicates")
            let original = try #require(try await store.event(id: 1))
            #expect(original.body == body)
            let duplicate = try #require(try await store.event(id: duplicates[0]))
            #expect(duplicate.duplicateOf == original.id)
            #expect(duplicate.body.isEmpty)
            try await store.close()

            let show = try DaemonProcess(["events", "show", "--config", daemon.configPath, String(duplicates[0])])
            #expect(try await show.waitForExit() == 0)
            #expect(show.printed.contains("duplicate of:  1"), "\(show.printed)")
            #expect(show.printed.contains("not stored; the same bytes as event 1's"), "\(show.printed)")
            #expect(show.printed.contains(#""path": "big/a.jar""#))

            let replay = try DaemonProcess([
                "events", "replay", "--dry-run", "--config", daemon.configPath, "1", String(duplicates[0]),
            ])
            #expect(try await replay.waitForExit() == 0)
            #expect(replay.printed.contains("event 1: 0 job(s)"), "\(replay.printed)")
            #expect(replay.printed.contains("event \(duplicates[0]): skipped (duplicate of 1)"), "\(replay.printed)")
        }
    }

    @Test(
        "over store.max_bytes deliveries get 503 with Retry-After, /readyz and /metrics say why; a prune reopens"
    )
    func storeCap() async throws {
        let daemon = try TestDaemon(storeKeys: "max_bytes: 1MiB\nretention: off")
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, backlogInterval: .milliseconds(20),
            onAdminListening: admin.bound)
        try await app.test(.live) { client in
            // Given distinct 100 KiB events until the sampled size passes 1 MiB.
            var acknowledged: [Int64] = []
            var refused: TestResponse?
            for index in 0..<200 {
                let response = try await Self.post(client, Self.body(path: "cap/\(index).jar", size: 100 << 10))
                if response.status == .serviceUnavailable {
                    refused = response
                    break
                }
                #expect(response.status == .accepted)
                let ack = try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
                acknowledged.append(ack.event_id)
                // Give the sampler a turn, as deliveries spread over time would.
                try await Task.sleep(for: .milliseconds(10))
            }
            // Then the next delivery is refused, with a reason and a time to come back.
            let response = try #require(refused, "never refused after \(acknowledged.count) deliveries")
            #expect(acknowledged.count >= 8)
            #expect(response.headers[.retryAfter] == "30")
            #expect(String(buffer: response.body).contains(#""error":"store_full""#))
            let ready = try await admin.get("/readyz")
            #expect(ready.status == 503)
            #expect(ready.body.contains("over store.max_bytes"), "\(ready.body)")
            let metrics = try await admin.scrape { $0.value("artifactory_hooks_store_full") == 1 }
            #expect((metrics.value("artifactory_hooks_store_size_bytes") ?? 0) >= Double(1 << 20))
            #expect(
                metrics.value(
                    "artifactory_hooks_events_received_total", ["endpoint": "main", "reason": "store_full"]) == 1)
            // Nothing acknowledged was lost.
            #expect(try await daemon.storedEvents().map(\.id) == acknowledged)

            // When retention frees space (here: a prune as `events prune` runs it)…
            let store = try await daemon.openStore()
            let pruned = try await store.pruneEvents(receivedBefore: Date().addingTimeInterval(60), limit: 1000)
            #expect(pruned.events == acknowledged.count)
            try await store.close()
            // …the daemon takes deliveries again by itself.
            var reopened = false
            for _ in 0..<250 where !reopened {
                try await Task.sleep(for: .milliseconds(20))
                reopened = try await admin.get("/readyz").status == 200
            }
            #expect(reopened)
            let again = try await Self.post(client, Self.body(path: "cap/after.jar", size: 100 << 10))
            #expect(again.status == .accepted)
            _ = try await admin.scrape { $0.value("artifactory_hooks_store_full") == 0 }
        }
    }

    @Test("past an endpoint's burst, deliveries get 429 with Retry-After; forged ones take no token")
    func rateLimit() async throws {
        let daemon = try TestDaemon(
            endpoints: """
                  - name: main
                    auth: hmac-sha256
                    secret_file: secret-main
                    rate_limit: {per_second: 0.2, burst: 2}
                  - name: other
                    auth: hmac-sha256
                    secret_file: secret-main
                """)
        defer { daemon.directory.remove() }
        let admin = AdminListener()
        let app = try await buildApplication(
            config: try daemon.config(), logger: TestDaemon.logger, onAdminListening: admin.bound)
        try await app.test(.live) { client in
            // A flood of forged deliveries is refused by the signature and uses none of the budget.
            for index in 0..<20 {
                let forged = try await Self.post(client, Self.body(path: "f/\(index)", size: 300), secret: "wrong")
                #expect(forged.status == .unauthorized)
            }
            for index in 0..<2 {
                #expect(try await Self.post(client, Self.body(path: "a/\(index)", size: 300)).status == .accepted)
            }
            let limited = try await Self.post(client, Self.body(path: "a/2", size: 300))
            #expect(limited.status == .tooManyRequests)
            // One token every five seconds: the next comes within five (a loaded machine may have
            // taken some of that time already).
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...5).contains(retryAfter))
            #expect(String(buffer: limited.body).contains(#""error":"rate_limited""#))
            // Another endpoint has its own budget (none here).
            for index in 0..<5 {
                let response = try await Self.post(client, Self.body(path: "o/\(index)", size: 300), endpoint: "other")
                #expect(response.status == .accepted)
            }
            #expect(try await daemon.storedEvents().count == 7)
            let metrics = try await admin.scrape()
            #expect(
                metrics.value(
                    "artifactory_hooks_events_received_total", ["endpoint": "main", "reason": "rate_limited"]) == 1)
            // A token is back once Retry-After has passed.
            try await Task.sleep(for: .seconds(retryAfter) + .milliseconds(100))
            #expect(try await Self.post(client, Self.body(path: "a/3", size: 300)).status == .accepted)
        }
    }
}

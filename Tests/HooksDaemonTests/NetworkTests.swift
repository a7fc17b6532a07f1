import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing
import YAMLDiagnostics

@Suite("Addresses: CIDR blocks and X-Forwarded-For")
struct AddressTests {
    @Test(
        "blocks parse and match",
        arguments: [
            ("10.0.0.0/8", "10.200.3.4", true), ("10.0.0.0/8", "11.0.0.1", false),
            ("192.0.2.7", "192.0.2.7", true), ("192.0.2.7", "192.0.2.8", false),
            ("192.0.2.0/25", "192.0.2.127", true), ("192.0.2.0/25", "192.0.2.128", false),
            ("0.0.0.0/0", "203.0.113.9", true), ("fd00::/8", "fd12:3456::1", true), ("fd00::/8", "fe80::1", false),
            ("::1", "::1", true), ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("10.0.0.0/8", "fd00::1", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true), ("10.1.2.3/8", "10.9.9.9", true),
        ])
    func matches(block: String, address: String, expected: Bool) throws {
        let parsed = try #require(CIDRBlock(parsing: block))
        #expect(parsed.contains(address) == expected)
    }

    @Test(
        "malformed blocks are refused",
        arguments: ["", "10.0.0/8", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "host", "10.0.0.0/-1", "1.2.3.4/+8"])
    func malformed(text: String) {
        #expect(CIDRBlock(parsing: text) == nil)
    }

    @Test("a block prints as its network")
    func description() throws {
        #expect(try #require(CIDRBlock(parsing: "10.1.2.3/8")).description == "10.0.0.0/8")
        #expect(try #require(CIDRBlock(parsing: "fd00::1")).description == "fd00::1/128")
    }

    static let proxies = ClientAddress(trustedProxies: ["127.0.0.1", "10.0.0.0/8"].compactMap(CIDRBlock.init))

    @Test(
        "X-Forwarded-For is read from the right, past trusted proxies only",
        arguments: [
            // An untrusted peer: the header is ignored whatever it says.
            ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),
            // A trusted proxy reporting its client.
            ("127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
            // A client-forged entry on the left is not believed: the proxy's view wins.
            ("127.0.0.1", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),
            // Two proxies in a chain, in one header or two.
            ("127.0.0.1", ["198.51.100.1, 10.0.0.2"], "198.51.100.1"),
            ("127.0.0.1", ["198.51.100.1", "10.0.0.2"], "198.51.100.1"),
            // A trusted proxy without the header: the proxy itself.
            ("127.0.0.1", [], "127.0.0.1"),
            // Garbage stops the walk at the last trusted hop.
            ("127.0.0.1", ["198.51.100.1, not-an-address"], "127.0.0.1"),
            // Every hop trusted: the leftmost.
            ("127.0.0.1", ["10.0.0.9, 10.0.0.2"], "10.0.0.9"),
        ])
    func forwardedFor(peer: String, header: [String], expected: String) {
        #expect(Self.proxies.resolve(peer: peer, forwardedFor: header) == expected)
    }

    @Test("without trusted proxies the peer is the client")
    func noProxies() {
        #expect(ClientAddress(trustedProxies: []).resolve(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "127.0.0.1")
    }

    @Test("bad addresses in the config are reported with file:line and key")
    func configErrors() throws {
        let text = """
            listen: 127.0.0.1:0
            trusted_proxies: [10.0.0.0/8, "10.0.0/8"]
            endpoints:
              - name: main
                auth: none
                allow_from: 192.0.2.0/24
            """
        #expect {
            _ = try DaemonConfig.parse(text: text, file: "/etc/hooks.yml", environment: [:])
        } throws: { error in
            let messages = (error as? DiagnosticsError)?.diagnostics.map(\.description) ?? []
            return messages.contains {
                $0.hasPrefix("/etc/hooks.yml:2:31: error: trusted_proxies[1]: \"10.0.0/8\" is not")
            }
                && messages.contains {
                    $0.hasPrefix("/etc/hooks.yml:6:17: error: endpoints[0].allow_from: expected a list")
                }
        }
    }
}

@Suite("allow_from and trusted proxies on a live listener", .timeLimit(.minutes(1)))
struct AllowFromTests {
    static let endpoints = """
          - name: main
            auth: hmac-sha256
            secret_file: secret-main
            allow_from: [10.0.0.0/8]
          - name: local
            auth: hmac-sha256
            secret_file: secret-main
            allow_from: [127.0.0.1, "::1"]
        """

    static func post(_ client: some TestClientProtocol, _ endpoint: String, forwardedFor: String? = nil) async throws
        -> TestResponse
    {
        let body = try Fixtures.bytes("events/artifact/deployed.json")
        var headers = signedHeaders(body)
        if let forwardedFor { headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(
            uri: "/webhooks/\(endpoint)", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    @Test("a peer outside allow_from gets 403 and nothing is stored; X-Forwarded-For cannot talk its way in")
    func refusesOutsiders() async throws {
        let daemon = try TestDaemon(endpoints: Self.endpoints, admin: "off")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let refused = try await Self.post(client, "main")
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("forbidden_source"))
            // No trusted proxy is configured, so the header is not believed.
            let spoofed = try await Self.post(client, "main", forwardedFor: "10.1.2.3").status
            #expect(spoofed == .forbidden)
            #expect(try await daemon.storedEvents().isEmpty)

            let local = try await Self.post(client, "local").status
            #expect(local == .accepted)
            let sources = try await daemon.storedEvents().map(\.sourceAddress)
            #expect(sources == ["127.0.0.1"])

            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let refusals = MetricsText(String(buffer: metrics.body)).value(
                "artifactory_hooks_events_received_total", ["endpoint": "main", "reason": "forbidden_source"])
            #expect(refusals == 2)
        }
    }

    @Test("behind a trusted proxy the forwarded client is stored and checked against allow_from")
    func trustedProxy() async throws {
        let daemon = try TestDaemon(endpoints: Self.endpoints, extra: "trusted_proxies: [127.0.0.0/8]")
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let inside = try await Self.post(client, "main", forwardedFor: "10.1.2.3").status
            #expect(inside == .accepted)
            let outside = try await Self.post(client, "main", forwardedFor: "203.0.113.9").status
            #expect(outside == .forbidden)
            // The proxy is the client when it forwards nothing: outside main's allow_from.
            let proxyItself = try await Self.post(client, "main").status
            #expect(proxyItself == .forbidden)
            let sources = try await daemon.storedEvents().map(\.sourceAddress)
            #expect(sources == ["10.1.2.3"])
        }
    }
}

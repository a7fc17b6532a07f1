import AsyncHTTPClient
import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing
import YAMLDiagnostics

@Suite("TLS on the webhook listener", .timeLimit(.minutes(1)))
struct TLSTests {
    static func tlsConfig(cert: String = "a.crt", key: String = "a.key") -> String {
        "tls:\n  cert_file: \(cert)\n  key_file: \(key)"
    }

    @Test("with tls set, a signed delivery over HTTPS is stored")
    func servesHTTPS() async throws {
        let daemon = try TestDaemon(extra: Self.tlsConfig())
        defer { daemon.directory.remove() }
        _ = try TestCertificate.make(in: daemon.directory, name: "a")
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let body = try Fixtures.bytes("events/artifact/deployed.json")
        try await app.test(.ahc(.https)) { client in
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            #expect(response.status == .accepted)
        }
        #expect(try await daemon.storedEvents().count == 1)
    }

    @Test("a key that does not belong to the certificate, or a missing file, is a config error at its line")
    func badFiles() throws {
        let daemon = try TestDaemon(extra: Self.tlsConfig(cert: "a.crt", key: "b.key"))
        defer { daemon.directory.remove() }
        _ = try TestCertificate.make(in: daemon.directory, name: "a")
        _ = try TestCertificate.make(in: daemon.directory, name: "b")
        #expect {
            _ = try daemon.config()
        } throws: { error in
            let text = (error as? DiagnosticsError)?.description ?? ""
            return text.contains("config.yml:") && text.contains("error: tls.key_file:")
                && text.contains("does not match the certificate")
        }

        try daemon.directory.write(
            "config.yml", "endpoints: [{name: x, auth: none}]\n" + Self.tlsConfig(cert: "none.crt"))
        #expect {
            _ = try daemon.config()
        } throws: { error in
            ((error as? DiagnosticsError)?.description ?? "").contains("error: tls.cert_file:")
        }

        // One file for both (a certificate without its key): the key is what is missing.
        try daemon.directory.write(
            "config.yml", "endpoints: [{name: x, auth: none}]\n" + Self.tlsConfig(cert: "a.crt", key: "a.crt"))
        #expect {
            _ = try daemon.config()
        } throws: { error in
            let text = (error as? DiagnosticsError)?.description ?? ""
            return text.contains("error: tls.key_file:") && text.contains("holds no PEM private key that loads")
        }
        try daemon.directory.write(
            "config.yml", "endpoints: [{name: x, auth: none}]\n" + Self.tlsConfig(cert: "a.crt", key: "none.key"))
        #expect {
            _ = try daemon.config()
        } throws: { error in
            let text = (error as? DiagnosticsError)?.description ?? ""
            return text.contains("error: tls.key_file:") && text.contains("cannot be read")
        }
    }

    /// Whether an HTTPS GET of /healthz succeeds for a client that trusts only `caFile`.
    static func trusts(_ caFile: String, port: Int) async -> Bool {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(caFile)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "https://localhost:\(port)/healthz"), timeout: .seconds(5))
            return response.status == .ok
        } catch {
            return false
        }
    }

    @Test("SIGHUP serves a renewed certificate without a restart; a broken renewal keeps the old one")
    func reloadsOnSIGHUP() async throws {
        let daemon = try TestDaemon(extra: Self.tlsConfig(cert: "live.crt", key: "live.key"))
        defer { daemon.directory.remove() }
        let first = try TestCertificate.make(in: daemon.directory, name: "first")
        let second = try TestCertificate.make(in: daemon.directory, name: "second")
        let manager = FileManager.default
        try manager.copyItem(atPath: first.certFile, toPath: daemon.directory.path("live.crt"))
        try manager.copyItem(atPath: first.keyFile, toPath: daemon.directory.path("live.key"))

        let notify = try NotifySocket(path: daemon.directory.path("notify"))
        let process = try DaemonProcess(
            ["serve", "--config", daemon.configPath], environment: ["NOTIFY_SOCKET": daemon.directory.path("notify")])
        let port = try await process.waitUntilListening()
        #expect(await Self.trusts(first.certFile, port: port))
        #expect(await !Self.trusts(second.certFile, port: port))

        // A half-done renewal (new key, old certificate) is refused and the old pair stays; the
        // reload's status line says so, beside the rules'.
        try manager.removeItem(atPath: daemon.directory.path("live.key"))
        try manager.copyItem(atPath: second.keyFile, toPath: daemon.directory.path("live.key"))
        process.send(SIGHUP)
        try await waitFor { process.printed.contains("TLS certificate reload failed") }
        _ = try await notify.waitFor {
            $0.fields["STATUS"]?.hasSuffix("; TLS certificate reload failed; the previous one stays in use") == true
        }
        #expect(await Self.trusts(first.certFile, port: port))

        try manager.removeItem(atPath: daemon.directory.path("live.crt"))
        try manager.copyItem(atPath: second.certFile, toPath: daemon.directory.path("live.crt"))
        process.send(SIGHUP)
        try await waitFor { process.printed.contains("TLS certificate reloaded") }
        #expect(await Self.trusts(second.certFile, port: port))
        #expect(await !Self.trusts(first.certFile, port: port))

        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }
}

import ArtifactoryEvents
import ArtifactorySimulator
import AsyncHTTPClient
import Foundation
import HooksTestSupport
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `subscriptions test KEY` against the simulator, which really sends Artifactory's test event to
/// the daemon running as a child process: it reports whether the event arrived and verified, and
/// the daemon notes test events apart, never as events.
@Suite("subscriptions test: Artifactory's test event, sent to the running daemon", .timeLimit(.minutes(2)))
struct SubscriptionTestCommandTests {
    /// A config with one subscription on endpoint `main`, the daemon listening on `port`.
    static func daemon(at baseURL: URL, port: Int) throws -> TestDaemon {
        try TestDaemon.callingArtifactory(
            at: baseURL, rules: DeliveryHarness.tagOnDeployRules, worker: "backoff_base: 100ms",
            token: DeliveryHarness.token,
            extra: SimulatorLoopTests.subscriptions(port: port, echo: false, catchUp: "0"), port: port)
    }

    /// Runs `body` with the simulator running and the daemon (the binary) serving on a port the
    /// subscription's URL names; `body` stops the process.
    static func withServingDaemon(
        _ body: @Sendable (ArtifactorySimulator, TestDaemon, Int, DaemonProcess) async throws -> Void
    ) async throws {
        let simulator = SimulatorLoopTests.simulator()
        let port = try LoopbackPort.unused()
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(at: baseURL, port: port)
            defer { daemon.directory.remove() }
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            #expect(try await process.waitUntilListening() == port)
            try await body(simulator, daemon, port, process)
        }
    }

    @Test("the test event arrives and verifies; nothing is stored and no secret is printed")
    func verified() async throws {
        try await Self.withServingDaemon { simulator, daemon, port, process in

            let test = try await SimulatorLoopTests.command(
                ["subscriptions", "test", "hooks-deploys", "--config", daemon.configPath, "--wait", "10"])

            #expect(test.status == 0, "\(test.output)")
            #expect(test.output.contains("Artifactory: success"), "\(test.output)")
            #expect(test.output.contains("arrived on endpoint main and verified (artifact.deployed)"), "\(test.output)")
            #expect(!test.output.contains(TestDaemon.secret))
            let sent = simulator.state.sentWebhooks
            #expect(sent.count == 1 && sent.first?.eventID == "test" && sent.first?.status == 200, "\(sent)")
            #expect(try await daemon.storedEvents().isEmpty)
            try await SimulatorLoopTests.stop(process)
            #expect(!SimulatorLoopTests.storeText(daemon).contains(TestDaemon.secret), "the secret is in the store")
        }
    }

    @Test("a secret the running daemon does not hold: arrived, not verified, exit 1, nothing stored")
    func notVerified() async throws {
        try await Self.withServingDaemon { simulator, daemon, port, process in
            // The same config and store with the endpoint's secret rotated: the command sends the new one.
            try daemon.directory.write("secret-rotated", "rotated-secret-value\n")
            let text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            let rotated = try daemon.directory.write(
                "rotated.yml", text.replacingOccurrences(of: "file: secret-main", with: "file: secret-rotated"))

            let test = try await SimulatorLoopTests.command(
                ["subscriptions", "test", "hooks-deploys", "--config", rotated, "--wait", "10"])

            #expect(test.status == 1, "\(test.output)")
            #expect(test.output.contains("arrived on endpoint main but did not verify"), "\(test.output)")
            #expect(!test.output.contains("rotated-secret-value") && !test.output.contains(TestDaemon.secret))
            #expect(try await daemon.storedEvents().isEmpty)
            try await SimulatorLoopTests.stop(process)
        }
    }

    @Test("no daemon listening: Artifactory reports the failure, nothing arrived, exit 1")
    func missing() async throws {
        let simulator = SimulatorLoopTests.simulator()
        let port = try LoopbackPort.unused()
        try await simulator.withRunning { baseURL in
            let daemon = try Self.daemon(at: baseURL, port: port)
            defer { daemon.directory.remove() }
            // The store exists (the command needs it), and nothing serves the port.
            let migrate = try await SimulatorLoopTests.command(["store", "migrate", "--config", daemon.configPath])
            #expect(migrate.status == 0, "\(migrate.output)")

            let test = try await SimulatorLoopTests.command(
                ["subscriptions", "test", "hooks-deploys", "--config", daemon.configPath, "--wait", "1"])

            #expect(test.status == 1, "\(test.output)")
            #expect(test.output.contains("Artifactory: failure: Test failed"), "\(test.output)")
            #expect(test.output.contains("no test event arrived at http://127.0.0.1:\(port)"), "\(test.output)")
        }
    }

    @Test("a test header nobody waits for, or a malformed one, is refused before the body; nothing stored")
    func forgedTestHeader() async throws {
        try await Self.withServingDaemon { simulator, daemon, port, process in
            let body = DeliveryHarness.deployed("com/acme/forged.jar")
            let signature = Digest.hex(
                Digest.hmac(.sha256, key: Array(TestDaemon.secret.utf8), message: Array(body.utf8)))

            for id in [String(repeating: "a", count: 32), "not-an-id", String(repeating: "A", count: 32)] {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/main")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-JFrog-Event-Auth", value: signature)
                request.headers.add(name: "X-Artifactory-Hooks-Test", value: id)
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let answer = try await response.body.collect(upTo: 1 << 16)
                #expect(response.status.code == 400, "\(id)")
                #expect(String(buffer: answer).contains("unknown_test"), "\(String(buffer: answer))")
            }
            #expect(try await daemon.storedEvents().isEmpty)
            try await SimulatorLoopTests.stop(process)
        }
    }
}

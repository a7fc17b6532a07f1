import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Testing

@Suite("rules test --resolve runs a for_each query read-only", .timeLimit(.minutes(1)))
struct FanOutResolveTests {
    @Test("--resolve lists the children's requests and changes nothing")
    func resolveListsChildren() async throws {
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try simulator.state.addBuild(
            name: "payments", number: "42", repo: "libs-release-local", artifacts: ["p/a.jar", "p/b.jar"])
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: FanOutDeliveryTests.releaseRule, worker: "concurrency: 1",
                token: DeliveryHarness.token)
            defer { daemon.directory.remove() }
            let event = try daemon.directory.write("promoted.json", FanOutDeliveryTests.promoted("payments", "42"))
            let test = try DaemonProcess(["rules", "test", "--config", daemon.configPath, "--resolve", event])
            #expect(try await test.waitForExit() == 0, "\(test.printed)")
            let base =
                baseURL.absoluteString.hasSuffix("/")
                ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
            #expect(test.printed.contains("release-version do[0]: 2 requests"), "\(test.printed)")
            #expect(
                test.printed.contains(
                    "PUT \(base)/api/storage/libs-release-local/p/a.jar?properties=release.version=42&recursive=0"),
                "\(test.printed)")
            // Only queries reached Artifactory.
            #expect(simulator.state.requests.allSatisfy { $0.target.hasSuffix("/api/search/aql") })
            #expect(simulator.state.requests.count == 2)
        }
    }
}

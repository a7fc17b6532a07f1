import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Testing

@Suite("rules test shows guards, and --resolve looks them up read-only", .timeLimit(.minutes(1)))
struct GuardResolveTests {
    @Test("--resolve says which guard holds now and which would skip, sending only GETs")
    func resolveAnswersGuards() async throws {
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try simulator.state.addFile(
            repo: "libs-release-local", path: "com/acme/a.jar", properties: ["locked": ["true"]])
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: GuardDeliveryTests.unlessLocked, worker: "concurrency: 1",
                token: DeliveryHarness.token)
            defer { daemon.directory.remove() }
            let event = try daemon.directory.write("deployed.json", DeliveryHarness.deployed("com/acme/a.jar"))

            // Without --resolve the guard is shown and nothing is asked.
            let plain = try DaemonProcess(["rules", "test", "--config", daemon.configPath, event])
            #expect(try await plain.waitForExit() == 0, "\(plain.printed)")
            #expect(
                plain.printed.contains(
                    #"only if, just before the call: require item.properties.locked: {not: "true"} (item libs-release-local/com/acme/a.jar)"#
                ), "\(plain.printed)")
            #expect(simulator.state.requests.isEmpty)

            let test = try DaemonProcess(["rules", "test", "--config", daemon.configPath, "--resolve", event])
            #expect(try await test.waitForExit() == 0, "\(test.printed)")
            #expect(
                test.printed.contains(
                    #"qa-unless-locked do[0]: does not hold now; the job would be skipped: item.properties.locked is "true"; wanted {not: "true"}"#
                ), "\(test.printed)")
            #expect(simulator.state.requests.map(\.method) == ["GET"])
            #expect(
                simulator.state.item(repo: "libs-release-local", path: "com/acme/a.jar")?.properties["qa.status"] == nil
            )
        }
    }
}

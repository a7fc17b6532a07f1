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

    @Test("--resolve answers each for_each child's guard for its found item")
    func resolveAnswersChildGuards() async throws {
        let rules = """
            rules:
              - name: stamp
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    set_properties: { release.version: "{{ data.build_number }}" }
                    require: { item.properties.locked: { not: "true" } }
            """
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try simulator.state.addBuild(
            name: "payments", number: "42", repo: "libs-release-local", artifacts: ["p/a.jar", "p/b.jar"])
        try simulator.state.addFile(
            repo: "libs-release-local", path: "p/b.jar",
            properties: ["build.name": ["payments"], "build.number": ["42"], "locked": ["true"]])
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: rules, worker: "concurrency: 1", token: DeliveryHarness.token)
            defer { daemon.directory.remove() }
            let event = try daemon.directory.write("promoted.json", FanOutDeliveryTests.promoted("payments", "42"))
            let test = try DaemonProcess(["rules", "test", "--config", daemon.configPath, "--resolve", event])
            #expect(try await test.waitForExit() == 0, "\(test.printed)")
            let lines = test.printed.split(separator: "\n").map(String.init)
            let a = try #require(lines.firstIndex { $0.contains("p/a.jar?properties=release.version=42") })
            let b = try #require(lines.firstIndex { $0.contains("p/b.jar?properties=release.version=42") })
            #expect(lines[a + 1] == "       guard holds now", "\(test.printed)")
            #expect(
                lines[b + 1]
                    == #"       guard does not hold now; would be skipped: item.properties.locked is "true"; wanted {not: "true"}"#,
                "\(test.printed)")
            #expect(
                simulator.state.requests.allSatisfy { $0.method == "GET" || $0.target.hasSuffix("/api/search/aql") })
            #expect(
                simulator.state.item(repo: "libs-release-local", path: "p/a.jar")?.properties["release.version"] == nil)
        }
    }
}

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

    @Test("--resolve lists every action of a for_each block for each item, in order")
    func resolveListsABlock() async throws {
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
        try simulator.state.addBuild(name: "payments", number: "42", repo: "libs-release-local", artifacts: ["p/a.jar"])
        let rules = """
            rules:
              - name: publish
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    do:
                      - set_properties: { release.version: "{{ data.build_number }}" }
                      - copy: { to: "libs-final-local/{{ item.path }}" }
            """
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: rules, worker: "concurrency: 1", token: DeliveryHarness.token)
            defer { daemon.directory.remove() }
            let event = try daemon.directory.write("promoted.json", FanOutDeliveryTests.promoted("payments", "42"))
            let test = try DaemonProcess(["rules", "test", "--config", daemon.configPath, "--resolve", event])
            #expect(try await test.waitForExit() == 0, "\(test.printed)")
            #expect(test.printed.contains("publish do[0] for_each set_properties, copy"), "\(test.printed)")
            #expect(test.printed.contains("publish do[0]: 2 requests"), "\(test.printed)")
            let lines = test.printed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let put = try #require(lines.firstIndex { $0.hasPrefix("PUT ") && $0.contains("/api/storage/") })
            let post = try #require(lines.firstIndex { $0.hasPrefix("POST ") && $0.contains("/api/copy/") })
            #expect(put < post)
            #expect(simulator.state.requests.allSatisfy { $0.target.hasSuffix("/api/search/aql") })
        }
    }
}

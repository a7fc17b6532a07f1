import ArtifactoryAPI
import ArtifactoryRequests
import Foundation
import HooksTestSupport
import Testing

/// The real `artifactory-sim` binary, as the README demo runs it.
@Suite("artifactory-sim as a process", .timeLimit(.minutes(1)))
struct SimulatorProcessTests {
    /// The built binary beside the test bundle (`swift test` runs `.build/debug/NAME.xctest`).
    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("artifactory-sim").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("artifactory-sim")
    }

    @Test("prints its address, serves the API with the given token, repository and file, stops on SIGTERM")
    func runsUntilSIGTERM() async throws {
        let output = try ChildOutput()
        let process = try ChildProcess(
            executable: Self.binary.path,
            arguments: [
                "--port", "0", "--token", SimulatorHarness.token, "--repo", "ext-releases-local", "--file",
                "libs-release-local/com/acme/app.jar", "--log-level", "critical",
            ], standardOutput: output.writeHandle.fileDescriptor)
        output.childStarted()
        defer { process.send(SIGTERM) }

        // Given the address it printed
        var url: URL?
        let deadline = ContinuousClock.now + .seconds(30)
        while url == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = output.text
            if let range = text.range(of: #"listening on (\S+)"#, options: .regularExpression) {
                url = URL(string: String(text[range].dropFirst("listening on ".count)))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let baseURL = try #require(url)
        #expect(baseURL.absoluteString.hasPrefix("http://127.0.0.1:"))
        #expect(baseURL.path == "/artifactory")

        // When a client calls it
        let client = try ArtifactoryClient(
            configuration: .init(baseURL: baseURL, credential: .accessToken(SimulatorHarness.token)),
            logger: SimulatorHarness.logger)
        try await client.ping()
        try await client.setProperties(repo: "libs-release-local", path: "com/acme/app.jar", properties: ["qa": ["ok"]])
        let properties = try await client.properties(repo: "libs-release-local", path: "com/acme/app.jar")
        _ = try await client.copy(
            from: try ItemLocation(repo: "libs-release-local", path: "com/acme/app.jar"),
            to: try ItemLocation(repo: "ext-releases-local", path: "app.jar"))
        try await client.shutdown()
        #expect(properties.properties == ["qa": ["ok"]])

        // Then SIGTERM stops it cleanly
        process.send(SIGTERM)
        #expect(try await process.waitForExit(timeout: .seconds(20)) == .exit(0))
    }
}

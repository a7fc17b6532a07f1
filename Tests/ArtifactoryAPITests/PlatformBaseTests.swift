import ArtifactoryAPI
import ArtifactoryRequests
import ArtifactorySimulator
import Foundation
import Testing

/// Requests name their base: the Artifactory URL, or the JFrog Platform's (derived or configured).
@Suite("Client: the platform base URL", .timeLimit(.minutes(1)))
struct PlatformBaseTests {
    @Test("a platform request goes to the Artifactory URL without /artifactory; others keep it")
    func derivedPlatformBase() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addBuild(name: "payments", number: "7")
            let scan = try ArtifactoryRequest.generic(
                .post, base: .platform, segments: ["xray", "api", "v1", "scanBuild"],
                body: #"{"buildName":"payments","buildNumber":"7"}"#, contentType: "application/json")
            let answer = try await client.execute(scan)
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("\"total_alerts\":0"))
            _ = try await client.execute(.ping)
            #expect(
                simulator.state.requests.map(\.target) == ["/xray/api/v1/scanBuild", "/artifactory/api/system/ping"])

            // An unknown platform path is the simulator's 404, a permanent failure.
            let unknown = ArtifactoryRequest(method: .get, pathAndQuery: "lifecycle/api/v9/nothing", base: .platform)
            let error = await SimulatorHarness.failure { try await client.execute(unknown) }
            #expect(error?.status == 404)
            #expect(error?.isRetryable == false)
            #expect(error?.request == "GET platform:lifecycle/api/v9/nothing")
        }
    }

    @Test("a configured platform base URL is used as given")
    func configuredPlatformBase() async throws {
        let simulator = ArtifactorySimulator(configuration: .init(tokens: [SimulatorHarness.token]))
        try await simulator.withRunning(logger: SimulatorHarness.logger) { url in
            // The platform base points into the context path here, so the ping proves which base was used.
            let client = try ArtifactoryClient(
                configuration: .init(
                    baseURL: URL(string: "http://127.0.0.1:1/nowhere")!,
                    credential: .accessToken(SimulatorHarness.token), connectTimeout: .seconds(2),
                    platformBaseURL: url),
                logger: SimulatorHarness.logger)
            let ping = ArtifactoryRequest(method: .get, pathAndQuery: "api/system/ping", base: .platform)
            let answer = try await client.execute(ping)
            try await client.shutdown()
            #expect(answer.status == 200)
            #expect(simulator.state.requests.map(\.target) == ["/artifactory/api/system/ping"])
        }
    }

    @Test("a platform base URL that is not http(s) with a host is refused")
    func refusesBadPlatformBase() {
        #expect(throws: ArtifactoryAPIError.self) {
            try ArtifactoryClient(
                configuration: .init(
                    baseURL: URL(string: "https://h.example.com/artifactory")!, credential: .accessToken("t"),
                    platformBaseURL: URL(string: "file:///etc")!),
                logger: SimulatorHarness.logger)
        }
    }
}

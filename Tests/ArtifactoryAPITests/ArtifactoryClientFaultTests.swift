import ArtifactoryAPI
import ArtifactoryRequests
import ArtifactorySimulator
import Foundation
import Testing

@Suite("Failures as the worker sees them", .timeLimit(.minutes(1)))
struct ArtifactoryClientFaultTests {
    @Test(
        "every status is classified on the wire, with its message, and the fault stops after one",
        arguments: [
            (400, ArtifactoryAPIError.Code.badRequest, false), (401, .unauthorized, false), (403, .forbidden, false),
            (404, .notFound, false), (409, .conflict, false), (500, .serverError, true), (502, .serverError, true),
            (503, .serverError, true), (504, .serverError, true),
        ])
    func statuses(status: Int, code: ArtifactoryAPIError.Code, retryable: Bool) async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.status(status))
            let error = await SimulatorHarness.failure { try await client.version() }
            #expect(error?.code == code)
            #expect(error?.status == status)
            #expect(error?.isRetryable == retryable)
            #expect(error?.messages == ["Simulated failure (injected fault)"])
            #expect(error?.request == "GET api/system/version")
            _ = try await client.version()
        }
    }

    @Test("429 with Retry-After in seconds")
    func rateLimitedSeconds() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.tooManyRequests(retryAfter: "3"))
            let error = await SimulatorHarness.failure { try await client.ping() }
            #expect(error?.code == .rateLimited)
            #expect(error?.isRetryable == true)
            #expect(error?.retryAfter == .seconds(3))
        }
    }

    @Test("429 with Retry-After as an HTTP-date")
    func rateLimitedDate() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(
                .tooManyRequests(retryAfter: RetryAfter.httpDate(Date().addingTimeInterval(60))))
            let error = await SimulatorHarness.failure { try await client.ping() }
            #expect(error?.code == .rateLimited)
            let delay = try #require(error?.retryAfter)
            #expect(delay > .seconds(50) && delay <= .seconds(61))
        }
    }

    @Test("N injected failures hit the next N calls, then calls succeed")
    func stopsAfterN() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.status(500), times: 3)
            #expect(simulator.state.pendingFaults == 3)
            for _ in 0..<3 {
                let error = await SimulatorHarness.failure { try await client.ping() }
                #expect(error?.status == 500)
            }
            try await client.ping()
            #expect(simulator.state.pendingFaults == 0)
            #expect(simulator.state.requests.map(\.status) == [500, 500, 500, 200])
            #expect(simulator.state.requests.map(\.fault) == [.status(500), .status(500), .status(500), nil])
        }
    }

    @Test("a slow answer past the request timeout is a retryable timeout")
    func timeout() async throws {
        try await SimulatorHarness.run(requestTimeout: .milliseconds(300)) { simulator, client in
            simulator.state.injectFault(.latency(.seconds(5)))
            let started = ContinuousClock.now
            let error = await SimulatorHarness.failure { try await client.ping() }
            #expect(error?.code == .timeout)
            #expect(error?.isRetryable == true)
            // Cut off well before the answer would have come.
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }

    @Test("latency below the timeout only delays the answer")
    func latency() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.latency(.milliseconds(200)))
            let started = ContinuousClock.now
            try await client.ping()
            #expect(ContinuousClock.now - started >= .milliseconds(200))
        }
    }

    @Test("a dropped connection is a retryable connection failure")
    func dropped() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.dropConnection)
            let error = await SimulatorHarness.failure { try await client.ping() }
            #expect(error?.code == .connectionFailed)
            #expect(error?.isRetryable == true)
            #expect(simulator.state.requests.first?.status == nil)
            try await client.ping()
        }
    }

    @Test("connection refused is a retryable connection failure")
    func refused() async throws {
        // A port that was free a moment ago: the simulator ran there and stopped.
        let simulator = ArtifactorySimulator()
        let url = try await simulator.withRunning(logger: SimulatorHarness.logger) { $0 }
        let client = try ArtifactoryClient(
            configuration: .init(
                baseURL: url, credential: .accessToken(SimulatorHarness.token), connectTimeout: .seconds(2)),
            logger: SimulatorHarness.logger)
        let error = await SimulatorHarness.failure { try await client.ping() }
        try await client.shutdown()
        #expect(error?.code == .connectionFailed || error?.code == .timeout)
        #expect(error?.isRetryable == true)
        if error?.code == .connectionFailed {
            #expect(error?.description.lowercased().contains("refused") == true, "\(String(describing: error))")
        }
    }

    @Test("no error of any kind shows the token or password")
    func noSecretsInErrors() async throws {
        try await SimulatorHarness.run { simulator, client in
            simulator.state.injectFault(.status(503))
            simulator.state.injectFault(.tooManyRequests(retryAfter: "1"))
            simulator.state.injectFault(.dropConnection)
            var errors: [ArtifactoryAPIError] = []
            for _ in 0..<3 {
                if let error = await SimulatorHarness.failure({ try await client.ping() }) { errors.append(error) }
            }
            if let error = await SimulatorHarness.failure({
                try await client.execute(ArtifactoryRequest(method: .get, pathAndQuery: "../x"))
            }) {
                errors.append(error)
            }
            #expect(errors.count == 4)
            for error in errors {
                for text in [String(describing: error), String(reflecting: error), error.debugDescription, "\(error)"] {
                    #expect(!text.contains(SimulatorHarness.token))
                    #expect(!text.contains("Bearer"))
                }
            }
        }
    }
}

extension ArtifactoryClientFaultTests {
    @Test("no log line, even at trace level, shows the token or the Authorization header")
    func noSecretsInLogs() async throws {
        let (logger, lines) = RecordingLogHandler.logger()
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [SimulatorHarness.token], repositories: ["libs-release-local"]))
        try await simulator.withRunning(logger: SimulatorHarness.logger) { url in
            let client = try ArtifactoryClient(
                configuration: .init(baseURL: url, credential: .accessToken(SimulatorHarness.token)), logger: logger)
            simulator.state.injectFault(.status(500))
            simulator.state.injectFault(.dropConnection)
            _ = await SimulatorHarness.failure { try await client.ping() }
            _ = await SimulatorHarness.failure { try await client.ping() }
            _ = await SimulatorHarness.failure {
                try await client.setProperties(
                    repo: "libs-release-local", path: "missing.jar", properties: ["a": ["b"]])
            }
            try await client.ping()
            try await client.shutdown()
        }
        let logged = lines.all
        #expect(logged.contains { $0.contains("api.status") })
        #expect(logged.contains { $0.contains("error.code") })
        for line in logged {
            #expect(!line.contains(SimulatorHarness.token))
            #expect(!line.lowercased().contains("authorization"))
        }
    }
}

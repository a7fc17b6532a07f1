import ArtifactoryAPI
import ArtifactorySimulator
import Foundation
import Logging
import Testing

/// Runs a simulator on an ephemeral port of 127.0.0.1 and a client pointed at it.
enum SimulatorHarness {
    static let token = "tok-SECRET-0123456789"
    static let repositories = ["libs-release-local", "ext-releases-local"]

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    static func run<Result: Sendable>(
        simulator: ArtifactorySimulator = ArtifactorySimulator(
            configuration: .init(tokens: [token], users: ["ci": "pw-SECRET"], repositories: repositories)),
        credential: ArtifactoryCredential = .accessToken(token),
        requestTimeout: Duration = .seconds(10),
        project: String? = nil,
        _ body: @Sendable (ArtifactorySimulator, ArtifactoryClient) async throws -> Result
    ) async throws -> Result {
        try await simulator.withRunning(logger: logger) { url in
            let client = try ArtifactoryClient(
                configuration: .init(
                    baseURL: url, credential: credential, requestTimeout: requestTimeout,
                    connectTimeout: .seconds(2), project: project),
                logger: logger)
            do {
                let result = try await body(simulator, client)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Awaits `call` and returns the ``ArtifactoryAPIError`` it threw; `nil` when it succeeded (or
    /// threw anything else, which is recorded as a test issue).
    static func failure<Value>(_ call: () async throws -> Value) async -> ArtifactoryAPIError? {
        do {
            _ = try await call()
            return nil
        } catch let error as ArtifactoryAPIError {
            return error
        } catch {
            Issue.record("expected an ArtifactoryAPIError, got \(error)")
            return nil
        }
    }
}

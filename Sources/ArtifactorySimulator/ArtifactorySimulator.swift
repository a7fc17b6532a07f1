public import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// An in-process fake of Artifactory's REST API for tests, demos and benchmarks.
///
/// It keeps repositories, items with properties and builds with a promotion history in
/// ``state``, answers the calls docs/simulator.md lists with Artifactory's documented bodies and
/// status codes, records every request, and injects faults on demand.
///
/// ```swift
/// let simulator = ArtifactorySimulator(configuration: .init(tokens: ["t"], repositories: ["libs-release-local"]))
/// try await simulator.withRunning { baseURL in
///     // baseURL is http://127.0.0.1:PORT/artifactory
/// }
/// ```
public struct ArtifactorySimulator: Sendable {
    /// The configuration the simulator answers with.
    public let configuration: Configuration
    /// Repositories, items, builds, the request log and pending faults.
    public let state: SimulatorState

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.state = SimulatorState(repositories: configuration.repositories)
    }

    /// The Hummingbird application serving the simulator; `onRunning` gets the base URL
    /// (`http://127.0.0.1:PORT/artifactory`) once the listener is bound.
    public func makeApplication(
        logger: Logger, onRunning: @escaping @Sendable (URL) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let configuration = configuration
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            let certificates = try NIOSSLCertificate.fromPEMFile(tls.certificateFile)
            let key = try NIOSSLPrivateKey(file: tls.privateKeyFile, format: .pem)
            server = try .tls(
                .http1(),
                tlsConfiguration: .makeServerConfiguration(
                    certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key)))
        } else {
            server = .http1()
        }
        return Application(
            responder: SimulatorResponder(state: state, configuration: configuration),
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [state] channel in
                let port = channel.localAddress?.port ?? configuration.port
                let url = configuration.baseURL(port: port)
                state.withStorage { $0.origin = "\(url.scheme ?? "http")://\(url.host ?? configuration.host):\(port)" }
                await onRunning(url)
            },
            logger: logger)
    }

    /// The server and the webhook dispatcher, to run in one `ServiceGroup`: the dispatcher sends
    /// the webhooks of the simulator's changes to the subscriptions in ``state``.
    public func makeServices(
        logger: Logger, onRunning: @escaping @Sendable (URL) async -> Void = { _ in }
    ) throws -> [any Service] {
        [
            try makeApplication(logger: logger, onRunning: onRunning),
            WebhookDispatcher(state: state, configuration: configuration),
        ]
    }

    /// Runs the simulator on a free port of 127.0.0.1 (or the configured address) while `body`
    /// runs, then stops it. `body` gets the base URL.
    public func withRunning<Result: Sendable>(
        logger: Logger = Logger(label: "artifactory-sim"), _ body: @Sendable (URL) async throws -> Result
    ) async throws -> Result {
        let (addresses, continuation) = AsyncStream.makeStream(of: URL.self)
        let services = try makeServices(logger: logger) { url in continuation.yield(url) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { continuation.finish() }
            var iterator = addresses.makeAsyncIterator()
            guard let url = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(url)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A team's HTTP service as the tests need it: records every request and answers with the
/// statuses queued (then 200), after a delay when asked, on an ephemeral loopback port.
final class TestReceiver: Sendable {
    struct Received: Sendable {
        let method: String
        let target: String
        /// Header values by lowercased name.
        let headers: [String: String]
        let body: [UInt8]
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    private let state: Mutex<(received: [Received], statuses: [Int])>
    private let delay: Duration

    init(statuses: [Int] = [], delay: Duration = .zero) {
        state = Mutex(([], statuses))
        self.delay = delay
    }

    var received: [Received] { state.withLock { $0.received } }

    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let receiver: TestReceiver

        func respond(to request: Request, context: Context) async throws -> Response {
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            if receiver.delay > .zero { try await Task.sleep(for: receiver.delay) }
            let status = receiver.state.withLock { state -> Int in
                state.received.append(
                    Received(method: request.method.rawValue, target: request.uri.string, headers: headers, body: body))
                return state.statuses.isEmpty ? 200 : state.statuses.removeFirst()
            }
            return Response(status: .init(code: status))
        }
    }

    /// Runs the receiver while `body` runs; `body` gets its base URL (`http://127.0.0.1:PORT`).
    func withRunning<Result: Sendable>(_ body: @Sendable (URL) async throws -> Result) async throws -> Result {
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let (addresses, continuation) = AsyncStream.makeStream(of: URL.self)
        let application = Application(
            responder: Responder(receiver: self),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(URL(string: "http://127.0.0.1:\(channel.localAddress?.port ?? 0)")!)
            }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
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

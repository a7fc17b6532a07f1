import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Answers every request: records it, applies the next pending fault, authenticates, then routes
/// on the raw path (see ``RequestTarget``).
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    let state: SimulatorState
    let configuration: ArtifactorySimulator.Configuration

    /// Largest request body accepted.
    static let maxBodyBytes = 16 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: Self.maxBodyBytes).readableBytesView)
        let rawTarget = request.uri.string
        let (id, fault) = state.withStorage { storage in
            let fault = storage.takeFault()
            let id = (storage.requests.last?.id ?? 0) + 1
            storage.requests.append(
                RecordedRequest(
                    id: id, method: request.method.rawValue, target: rawTarget, body: body,
                    contentType: request.headers[.contentType],
                    authorizationScheme: request.headers[.authorization].flatMap {
                        $0.split(separator: " ").first.map(String.init)
                    },
                    receivedAt: Date(), status: nil, fault: fault))
            return (id, fault)
        }
        let response: Response
        do {
            response = try await answer(request, body: body, rawTarget: rawTarget, fault: fault, context: context)
        } catch let error as SimulatorError {
            // A bare responder gets no error middleware: the documented body is written here.
            response = try error.response(from: request, context: context)
        }
        if fault != .dropConnection { record(id, status: response.status.code) }
        return response
    }

    private func answer(_ request: Request, body: [UInt8], rawTarget: String, fault: Fault?, context: Context)
        async throws -> Response
    {
        switch fault {
        case .status(let code):
            throw SimulatorError(HTTPResponse.Status(code: code), "Simulated failure (injected fault)")
        case .tooManyRequests(let retryAfter):
            throw SimulatorError(
                .tooManyRequests, "Too Many Requests (injected fault)", headers: [.retryAfter: retryAfter])
        case .latency(let delay):
            try await Task.sleep(for: delay)
        case .dropConnection:
            // Close without a byte of answer; the response returned below is never written.
            try? await context.channel.close()
            return Response(status: .internalServerError)
        case nil:
            break
        }
        guard let target = RequestTarget(rawTarget: rawTarget, contextPath: configuration.contextPath) else {
            // Outside the context path: the JFrog Platform's other services (Lifecycle, Xray).
            guard let target = RequestTarget(rawTarget: rawTarget, contextPath: ""),
                let service = target.segments.first, Self.platformServices.contains(service)
            else {
                throw SimulatorError.notFound("Not Found")
            }
            let user = try authenticate(request, allowAnonymous: false)
            let call = SimulatorCall(
                method: request.method, target: target, body: body, user: user, baseURL: baseURL(request), now: Date())
            if call.method == .post, target.segments == ["event", "api", "v1", "subscriptions", "test"] {
                return try await testSubscription(call)
            }
            return try platformRoute(call)
        }
        let user = try authenticate(request, allowAnonymous: target.segments == ["api", "system", "ping"])
        let call = SimulatorCall(
            method: request.method, target: target, body: body, user: user, baseURL: baseURL(request), now: Date())
        return try route(call)
    }

    private func record(_ id: Int, status: Int) {
        state.withStorage { storage in
            if let index = storage.requests.lastIndex(where: { $0.id == id }) {
                storage.requests[index].status = status
            }
        }
    }

    // MARK: Authentication

    /// The user the request authenticates as: `anonymous` when the simulator has no credentials
    /// (or for `allowAnonymous` calls without a header); 401 with the documented body otherwise.
    private func authenticate(_ request: Request, allowAnonymous: Bool) throws(SimulatorError) -> String {
        let open = configuration.tokens.isEmpty && configuration.users.isEmpty
        guard let header = request.headers[.authorization] else {
            if open || allowAnonymous { return "anonymous" }
            throw Self.unauthorized("Authentication is required")
        }
        if open { return "anonymous" }
        let bearer = String(header.dropFirst("Bearer ".count))
        if header.hasPrefix("Bearer "), configuration.tokens.contains(bearer) {
            return configuration.tokenUsers[bearer] ?? "token"
        }
        if header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))) {
            let pair = String(decoding: data, as: UTF8.self).split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                let (user, secret) = (String(pair[0]), String(pair[1]))
                if configuration.users[user] == secret || configuration.tokens.contains(secret) { return user }
            }
        }
        throw Self.unauthorized("Bad credentials")
    }

    private static func unauthorized(_ message: String) -> SimulatorError {
        SimulatorError(.unauthorized, message, headers: [.wwwAuthenticate: "Basic realm=\"Artifactory Realm\""])
    }

    private func baseURL(_ request: Request) -> String {
        let scheme = configuration.tls == nil ? "http" : "https"
        let authority = request.head.authority ?? "\(configuration.host):\(configuration.port)"
        let context = configuration.contextPath.split(separator: "/").joined(separator: "/")
        return context.isEmpty ? "\(scheme)://\(authority)" : "\(scheme)://\(authority)/\(context)"
    }
}

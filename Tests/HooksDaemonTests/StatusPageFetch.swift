import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One answer of the status page: status, headers and body.
struct PageAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The value of header `name`, or an empty text.
    func header(_ name: String) -> String { headers.first(name: name) ?? "" }
}

extension AdminListener {
    /// A client that follows no redirect, so a test sees an action's own `303`. Lives as long as
    /// the test process.
    static let pageClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// Fetches `path` from the admin listener with `method`, `headers` and a form `body`.
    func fetch(
        _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], form: String? = nil
    ) async throws -> PageAnswer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(try await waitForPort())\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await Self.pageClient.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 24)
        return PageAnswer(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }
}

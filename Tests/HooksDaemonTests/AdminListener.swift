import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The admin listener of a daemon under test: learns its ephemeral port from `buildApplication`'s
/// `onAdminListening` and fetches its pages.
final class AdminListener: Sendable {
    private let port = Mutex<Int?>(nil)

    /// Pass as `onAdminListening`.
    var bound: @Sendable (SocketAddress?) -> Void {
        { address in self.port.withLock { $0 = address?.port } }
    }

    /// The bound port; waits up to `timeout` for the listener.
    func waitForPort(timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = port.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw AdminFailure.notListening
    }

    /// GETs `path` from the admin listener: the status code and the body.
    func get(_ path: String) async throws -> (status: Int, body: String) {
        try await Self.get("http://127.0.0.1:\(try await waitForPort())\(path)")
    }

    /// Scrapes `/metrics` until `condition` holds (up to about 10 s) and returns that scrape.
    func scrape(until condition: (MetricsText) -> Bool = { _ in true }) async throws -> MetricsText {
        var last = MetricsText("")
        for _ in 0..<500 {
            let (status, body) = try await get("/metrics")
            #expect(status == 200)
            last = MetricsText(body)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the metrics never reached the expected state")
        return last
    }

    /// GETs `url`: the status code and the body.
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), String(buffer: body))
    }

    enum AdminFailure: Error {
        case notListening
    }
}

import ArtifactoryEvents
import AsyncHTTPClient
import Foundation
import HooksDaemon
import NIOCore
import NIOHTTP1
import Storage
import Synchronization
import Testing

/// Signed deliveries to a daemon process under a fault, each a distinct event, with what the
/// daemon answered: the figures of docs/reliability.md (sent, acknowledged, refused, lost).
final class FaultLoad: Sendable {
    /// What the daemon answered one delivery.
    enum Outcome: Sendable, Equatable {
        /// 202 with this event id.
        case acknowledged(Int64)
        /// 503 with a `Retry-After` header (when `retryAfter`) and this error code.
        case refused(code: String, retryAfter: Bool)
        /// Anything else: another status, or no answer at all.
        case other(String)
    }

    struct Tally {
        var sent = 0
        /// Event path → acknowledged id.
        var acknowledged: [String: Int64] = [:]
        /// Event paths answered 503.
        var refused: [String] = []
        var refusedWithoutRetryAfter = 0
        var refusalCodes: Set<String> = []
        var other: [String] = []
        /// When each acknowledgement came back, in order.
        var acknowledgedAt: [ContinuousClock.Instant] = []
        /// When the last refusal came back.
        var lastRefusedAt: ContinuousClock.Instant?
    }

    let port: Int
    /// Events are about `fault/NAME/INDEX.jar` in `libs-release-local`.
    let name: String
    /// The shared client: nothing to shut down, so a test that throws half-way leaves nothing behind.
    private var client: HTTPClient { .shared }
    private let tally = Mutex(Tally())
    private let next = Atomic<Int>(0)

    init(port: Int, name: String) {
        self.port = port
        self.name = name
    }

    /// The path of the event with `index`.
    func path(_ index: Int) -> String { "fault/\(name)/\(index).jar" }

    /// Sends one new event and records what came back.
    @discardableResult
    func deliver() async -> Outcome {
        let index = next.add(1, ordering: .relaxed).oldValue
        let path = path(index)
        let body = Array(
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"\#(index).jar","size":5}}"#
                .utf8)
        let outcome = await post(body)
        tally.withLock { tally in
            tally.sent += 1
            switch outcome {
            case .acknowledged(let id):
                tally.acknowledged[path] = id
                tally.acknowledgedAt.append(.now)
            case .refused(let code, let retryAfter):
                tally.refused.append(path)
                tally.lastRefusedAt = .now
                tally.refusalCodes.insert(code)
                if !retryAfter { tally.refusedWithoutRetryAfter += 1 }
            case .other(let text): tally.other.append(text)
            }
        }
        return outcome
    }

    /// `clients` senders deliver one event after another until `stop` returns true (checked
    /// before each delivery) or `limit` deliveries were made; `pause` between one sender's deliveries.
    func run(
        clients: Int, limit: Int = 100_000, pause: Duration = .zero, until stop: @escaping @Sendable () -> Bool
    ) async {
        let started = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while !stop(), started.next() < limit {
                        await self.deliver()
                        if pause > .zero { try? await Task.sleep(for: pause) }
                    }
                }
            }
        }
    }

    /// Delivers until one is acknowledged, up to `timeout`; returns how long that took, or nil.
    func deliverUntilAcknowledged(timeout: Duration = .seconds(30)) async throws -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < timeout {
            if case .acknowledged = await deliver() { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The time to recover: from `start` (the fault struck or was mended) to the first
    /// acknowledgement after the last refusal; nil when none came after it.
    func recovery(since start: ContinuousClock.Instant) -> Duration? {
        let tally = figures
        let after = tally.lastRefusedAt ?? start
        return tally.acknowledgedAt.first { $0 > after }.map { $0 - start }
    }

    /// The figures so far.
    var figures: Tally { tally.withLock { $0 } }

    /// GETs `/readyz` on the webhook listener: the status and the body.
    func readyz() async throws -> (status: Int, body: String) {
        let response = try await client.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Polls `/readyz` every 50 ms until `condition` holds on its answer, up to `timeout`; returns
    /// the last answer.
    func waitForReadyz(
        timeout: Duration = .seconds(20), _ condition: (Int, String) -> Bool
    ) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now + timeout
        var answer = try await readyz()
        while !condition(answer.status, answer.body), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            answer = try await readyz()
        }
        return answer
    }

    /// The acknowledged events missing from `stored`, or stored under another id: the lost ones.
    func lost(in stored: [StoredEvent]) -> [String] {
        let byPath = Dictionary(stored.map { ($0.path ?? "", $0.id) }, uniquingKeysWith: { first, _ in first })
        return figures.acknowledged.filter { byPath[$0.key] != $0.value }.map(\.key).sorted()
    }

    /// One line of figures for the test log and docs/reliability.md.
    func report(_ fault: String, lost: Int, recovery: Duration?, extra: String = "") -> String {
        let tally = figures
        let recovered = recovery.map { String(format: "%.3f s", $0.timeInterval) } ?? "n/a"
        let line =
            "FAULT \(fault): sent=\(tally.sent) acknowledged=\(tally.acknowledged.count) refused=\(tally.refused.count) other=\(tally.other.count) lost=\(lost) recovery=\(recovered)"
            + (extra.isEmpty ? "" : " " + extra)
        print(line)
        return line
    }

    private func post(_ body: [UInt8]) async -> Outcome {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/main")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(
            name: "X-JFrog-Event-Auth",
            value: SignatureVerifier.header(mode: .hmacSHA256, secret: TestDaemon.secret, body: body)!)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(15))
            let buffer = try await response.body.collect(upTo: 1 << 16)
            let object =
                (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
            switch response.status.code {
            case 202:
                guard let id = (object["event_id"] as? NSNumber)?.int64Value else {
                    return .other("202 without an event id")
                }
                return .acknowledged(id)
            case 503:
                return .refused(
                    code: object["error"] as? String ?? "",
                    retryAfter: response.headers.first(name: "Retry-After") != nil)
            default:
                return .other("\(response.status.code) \(String(buffer: buffer).prefix(200))")
            }
        } catch {
            return .other("\(error)")
        }
    }
}

/// Tells the senders of a ``FaultLoad`` to stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// The count before this call; counts one.
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

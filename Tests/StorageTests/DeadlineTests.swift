import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Storage

#if canImport(Glibc)
import Glibc
#endif

@Suite("Store calls with a deadline", .timeLimit(.minutes(1)))
struct DeadlineTests {
    @Test("the call's answer wins when it comes first; the timer's when the call ignores cancellation")
    func firstAnswerWins() async throws {
        // The limit is generous: at the start of a full run on two cores the cooperative pool
        // has been seen busy for over five seconds before the call's task ran.
        #expect(try await Deadline.run(within: .seconds(40)) { 42 } == 42)
        let started = ContinuousClock.now
        await #expect(throws: DeadlinePassed.self) {
            try await Deadline.run(within: .milliseconds(200)) {
                // Deaf to cancellation, as a query on a connection that died was seen to be (and
                // holding no thread: the tests share the cooperative pool).
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 20) { continuation.resume() }
                }
                return 1
            }
        }
        // Long before the call would end (a loaded machine delays the timer by seconds at most).
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test(
        "the call is cancelled when its deadline passes, and when its caller is cancelled; the caller does not wait for it"
    )
    func callCancelled() async throws {
        // A call that ends only when cancelled, and says so.
        let cancelled = Mutex(0)
        @Sendable func untilCancelled() async throws -> Int {
            do {
                try await Task.sleep(for: .seconds(40))
            } catch {
                cancelled.withLock { $0 += 1 }
                throw error
            }
            return 1
        }
        await #expect(throws: DeadlinePassed.self) {
            try await Deadline.run(within: .milliseconds(100), untilCancelled)
        }
        // The caller is cancelled long before the deadline: it gets CancellationError at once.
        let started = ContinuousClock.now
        let caller = Task { try await Deadline.run(within: .seconds(40), untilCancelled) }
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(ContinuousClock.now - started < .seconds(15))
        // Both calls saw their cancellation (polled: the second may not have started when its
        // caller was cancelled).
        let polled = ContinuousClock.now + .seconds(15)
        while cancelled.withLock({ $0 }) < 2, ContinuousClock.now < polled { await Task.yield() }
        #expect(cancelled.withLock { $0 } == 2)
    }

    @Test("a PostgreSQL server that accepts and never answers fails a delivery and the readiness check in time")
    func silentServer() async throws {
        // A listening socket nobody accepts on: connections open, and no byte ever comes back.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        var configuration = PostgresEventStore.Configuration(
            host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)), user: "hooks", database: "hooks",
            tls: .disable, poolSize: 2)
        configuration.operationTimeout = .seconds(1)
        let store = PostgresEventStore(configuration: configuration)
        let pool = TestPool(store)
        let started = ContinuousClock.now
        await #expect {
            _ = try await store.insert(try delivery(artifactBody(path: "a.jar")), dedupWindow: .zero) { _, _ in
                EventPlan()
            }
        } throws: { error in
            (error as? StorageError)?.description.hasSuffix("no answer from the database within 1.0 seconds") == true
        }
        await #expect(throws: StorageError.self) { try await store.checkWritable() }
        // The direct connection check the daemon and the commands make first: in time too.
        await #expect {
            try await store.checkConnection()
        } throws: { error in
            (error as? StorageError)?.description.contains("cannot open the event store") == true
        }
        // Well under the minute the connection pool alone waits (a loaded machine delays timers).
        #expect(ContinuousClock.now - started < .seconds(30))
        await pool.stop()
    }

    @Test("the connection check says at once that nothing listens, instead of the pool's minute of retries")
    func refusedConnection() async throws {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(probe, pointer, length) == 0 && getsockname(probe, pointer, &length) == 0
            }
        }
        close(probe)  // Nothing listens on that port now.
        let store = PostgresEventStore(
            configuration: .init(
                host: "127.0.0.1", port: Int(UInt16(bigEndian: address.sin_port)), user: "hooks", database: "hooks",
                tls: .disable))
        let started = ContinuousClock.now
        await #expect {
            try await store.checkConnection()
        } throws: { error in
            let text = (error as? StorageError)?.description.lowercased() ?? ""
            return text.contains("cannot open the event store") && text.contains("refused")
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

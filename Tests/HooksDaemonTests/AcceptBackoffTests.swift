import Foundation
import HooksDaemon
import NIOCore
import NIOPosix
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("A failed accept pauses the listener instead of spinning", .timeLimit(.minutes(1)))
struct AcceptBackoffTests {
    @Test("after a failed accept the listening socket stops accepting for the back-off, then accepts again")
    func pausesThenAccepts() async throws {
        // Given a listening socket watched as the daemon watches its listeners…
        let accepted = Atomic<Int>(0)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.add(1, ordering: .relaxed)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let backoff = Duration.seconds(3)
        await watchAccepts(
            of: server, listener: "ingest", metrics: .none, logger: TestDaemon.logger, backoff: TimeAmount(backoff))

        // …when an accept fails as it does out of descriptors,
        let failed = ContinuousClock.now
        server.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))

        // then the socket leaves the poll set: a client that connects now waits in the backlog…
        let paused = try await server.getOption(.autoRead) == false
        #expect(paused || ContinuousClock.now - failed >= backoff)
        let client = try connectedSocket(port: port)
        defer { close(client) }
        try await Task.sleep(for: .milliseconds(300))
        if ContinuousClock.now - failed < backoff {
            #expect(accepted.load(ordering: .relaxed) == 0)
        }

        // …and is accepted once the back-off has passed (the pause began after `failed`).
        while accepted.load(ordering: .relaxed) == 0, ContinuousClock.now - failed < .seconds(20) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(accepted.load(ordering: .relaxed) == 1)
        #expect(ContinuousClock.now - failed >= backoff)
        #expect(try await server.getOption(.autoRead) == true)
    }

    /// A blocking TCP connection to `127.0.0.1:port` (completed by the kernel's backlog).
    private func connectedSocket(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        do {
            try connectAndSend(fd, port: port, "")
        } catch {
            close(fd)
            throw error
        }
        return fd
    }
}

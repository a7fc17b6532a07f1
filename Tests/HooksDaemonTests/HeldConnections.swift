import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP connections to 127.0.0.1 that a test opens and keeps open (idle clients, or clients
/// that stop half-way through a request), until ``close()``.
final class HeldConnections: Sendable {
    private let descriptors: Mutex<[Int32]>

    /// Opens `count` connections to `port`, sending `text` on each (nothing when empty), on a
    /// thread of its own, for at most `budget`. A connect that takes longer than 200 ms (the
    /// listener's queue is full) is given up; ``count`` says how many opened.
    init(port: Int, count: Int, sending text: String = "", budget: Duration = .seconds(10)) async throws {
        let opened = try await onOwnThread {
            var opened: [Int32] = []
            let deadline = ContinuousClock.now + budget
            for _ in 0..<count where ContinuousClock.now < deadline {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard fd >= 0 else { throw POSIXError(.EMFILE) }
                // Bounds connect() too, on Linux.
                var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                do {
                    try connectAndSend(fd, port: port, text)
                    opened.append(fd)
                } catch {
                    Glibc.close(fd)
                }
            }
            return opened
        }
        descriptors = Mutex(opened)
    }

    /// How many connections opened.
    var count: Int { descriptors.withLock { $0.count } }

    /// How many of them the server has closed (their read side is at end of file).
    var closedByServer: Int {
        descriptors.withLock { fds in
            fds.filter { fd in
                var byte: UInt8 = 0
                let read = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                return read == 0 || (read < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            }.count
        }
    }

    /// Closes them all.
    func close() {
        descriptors.withLock { fds in
            for fd in fds { Glibc.close(fd) }
            fds = []
        }
    }

    deinit { close() }
}

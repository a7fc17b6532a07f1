import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking socket work on a thread of its own: on the cooperative pool (two threads on a
/// two-core machine) it would starve the in-process daemon it talks to, and every other test.
private func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Sends `request` bytes over a plain TCP socket to 127.0.0.1:`port` and returns everything read
/// until the server closes (for requests a normal client will not send).
func rawHTTP(port: Int, request: String) async throws -> String {
    try await onOwnThread {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try connectAndSend(fd, port: port, request)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }
}

/// Sends `head` to 127.0.0.1:`port`, then one more byte every 200 ms (a client that trickles its
/// body, never silent long enough for an idle timeout), until the server answers and closes, or
/// for at most 10 s. Returns what the server sent.
func trickleHTTP(port: Int, head: String) async throws -> String {
    try await onOwnThread {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        try connectAndSend(fd, port: port, head)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for _ in 0..<50 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                response.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                break
            } else {
                var byte = UInt8(ascii: " ")
                guard send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { break }
            }
        }
        return String(decoding: response, as: UTF8.self)
    }
}

/// Connects `fd` to 127.0.0.1:`port` and sends `text`.
private func connectAndSend(_ fd: Int32, port: Int, _ text: String) throws {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}

/// What a client that kept sending a body saw.
struct FloodOutcome: Sendable {
    /// Everything the server sent.
    let response: String
    /// The body bytes the client could send before it stopped.
    let bytesSent: Int
    /// How long after the head the server closed the connection (end of stream or reset); `nil`
    /// when it was still open when the client gave up.
    let closedAfter: Duration?
}

/// Sends `head` to 127.0.0.1:`port`, then `piece` over and over as fast as the server takes it,
/// reading whatever it answers, until the server closes the connection or `limit` has passed.
func floodHTTP(port: Int, head: String, piece: [UInt8], limit: Duration = .seconds(3)) async throws -> FloodOutcome {
    try await onOwnThread {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        try connectAndSend(fd, port: port, head)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let started = ContinuousClock.now
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var sent = 0
        var writable = true
        while ContinuousClock.now - started < limit {
            var events = Int16(POLLIN)
            if writable { events |= Int16(POLLOUT) }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            guard poll(&descriptor, 1, 100) >= 0 else { break }
            if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    response.append(contentsOf: buffer[0..<count])
                    continue
                }
                if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
                    return FloodOutcome(
                        response: String(decoding: response, as: UTF8.self), bytesSent: sent,
                        closedAfter: ContinuousClock.now - started)
                }
            }
            if writable, descriptor.revents & Int16(POLLOUT) != 0 {
                let count = piece.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count > 0 {
                    sent += count
                } else if errno != EAGAIN && errno != EWOULDBLOCK {
                    writable = false  // EPIPE or ECONNRESET: the server is gone; read what it said.
                }
            }
        }
        return FloodOutcome(response: String(decoding: response, as: UTF8.self), bytesSent: sent, closedAfter: nil)
    }
}

/// A connection to 127.0.0.1 that has sent some bytes and stays open, sending nothing more, until
/// ``close()`` (which may be called more than once).
final class HeldConnection: Sendable {
    private let fd: Mutex<Int32?>

    init(port: Int, sending text: String) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        do {
            try connectAndSend(descriptor, port: port, text)
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
        fd = Mutex(descriptor)
    }

    func close() {
        fd.withLock { fd in
            if let descriptor = fd { _ = Glibc.close(descriptor) }
            fd = nil
        }
    }
}

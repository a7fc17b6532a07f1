import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in for systemd's notification socket: a Unix datagram socket bound in a test folder
/// that collects every `sd_notify` message the daemon sends, in arrival order.
final class NotifySocket: Sendable {
    /// One datagram: its `KEY=VALUE` lines, and when it was read.
    struct Message: Sendable, CustomStringConvertible {
        let fields: [String: String]
        let text: String
        let received: ContinuousClock.Instant

        func has(_ assignment: String) -> Bool { text.split(separator: "\n").contains { $0 == assignment } }
        var description: String { text.replacingOccurrences(of: "\n", with: " | ") }
    }

    let path: String
    private let descriptor: Int32
    private let received = Mutex<[Message]>([])

    /// Binds a socket at `path` (must not exist; at most 107 bytes), or in the abstract namespace
    /// when it starts with `@`.
    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length =
            abstract
            ? MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count : MemoryLayout<sockaddr_un>.size
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(length))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
    }

    deinit { close(descriptor) }

    /// Every message read so far, after reading what is waiting.
    var messages: [Message] {
        received.withLock { messages in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                var fields: [String: String] = [:]
                for line in text.split(separator: "\n") {
                    guard let equals = line.firstIndex(of: "=") else { continue }
                    fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
                }
                messages.append(Message(fields: fields, text: text, received: .now))
            }
            return messages
        }
    }

    /// Waits (polling every 5 ms, up to `timeout`) for a message after index `after` that satisfies
    /// `condition`; returns its index.
    func waitFor(
        after: Int = -1, timeout: Duration = .seconds(15), _ condition: (Message) -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = messages
            if let index = all.indices.first(where: { $0 > after && condition(all[$0]) }) { return index }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw NotifyTimeout(description: "no such notification in time; got: \(messages.map(\.description))")
    }

    struct NotifyTimeout: Error, CustomStringConvertible {
        let description: String
    }
}

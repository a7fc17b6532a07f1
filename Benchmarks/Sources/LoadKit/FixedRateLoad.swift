import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An open-loop HTTP/1.1 load generator: `connections` keep-alive connections, each sending its
/// share of `rate` requests per second on a fixed schedule. A request's latency is measured from
/// the time the schedule meant to send it, not from when it went out, so a slow answer that
/// delays the next requests counts against them too (no coordinated omission, as in wrk2).
///
/// Blocking sockets, one thread per connection: at a few thousand requests per second this costs
/// little CPU, and it needs nothing but the C library.
public struct FixedRateLoad: Sendable {
    /// One request: path, extra header lines (without CRLF) and body.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String]
        public var body: [UInt8]

        public init(method: String = "POST", path: String, headers: [String], body: [UInt8]) {
            self.method = method
            self.path = path
            self.headers = headers
            self.body = body
        }
    }

    /// What one request did.
    public struct Sample: Sendable {
        /// Seconds from the intended send time to the end of the answer.
        public var latency: Double
        /// The status answered, 0 when the connection failed.
        public var status: Int
        /// Wall-clock time (seconds since 1970) the answer ended.
        public var answeredAt: Double
        /// The answer's body.
        public var body: [UInt8]
    }

    public var port: Int
    public var rate: Double
    public var duration: Double
    public var connections: Int

    public init(port: Int, rate: Double, duration: Double, connections: Int) {
        self.port = port
        self.rate = rate
        self.duration = duration
        self.connections = connections
    }

    /// Runs the schedule; `request(i)` gives the i-th request of the whole run. Keeps answer bodies
    /// only when `keepBodies`.
    public func run(keepBodies: Bool = false, request: @escaping @Sendable (Int) -> Request) -> [Sample] {
        let total = Int(rate * duration)
        let collected = Mutex<[Sample]>([])
        let start = Self.monotonic() + 0.05
        let interval = 1.0 / rate
        let group = DispatchGroup()
        for connection in 0..<connections {
            group.enter()
            let thread = Thread { [port, connections] in
                var samples: [Sample] = []
                var client = Connection(port: port)
                var index = connection
                while index < total {
                    let intended = start + Double(index) * interval
                    Self.sleep(until: intended)
                    let outcome = client.send(request(index))
                    let now = Self.monotonic()
                    samples.append(
                        Sample(
                            latency: now - intended, status: outcome.status,
                            answeredAt: Date().timeIntervalSince1970, body: keepBodies ? outcome.body : []))
                    index += connections
                }
                client.close()
                collected.withLock { $0 += samples }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return collected.withLock { $0 }
    }

    static func monotonic() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func sleep(until deadline: Double) {
        let remaining = deadline - monotonic()
        guard remaining > 0 else { return }
        var request = timespec(tv_sec: Int(remaining), tv_nsec: Int((remaining - Double(Int(remaining))) * 1e9))
        var left = timespec()
        while nanosleep(&request, &left) != 0, errno == EINTR { request = left }
    }
}

/// One keep-alive connection to 127.0.0.1, reopened after an error.
public struct Connection {
    let port: Int
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []

    public init(port: Int) {
        self.port = port
    }

    public mutating func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
    }

    public mutating func send(_ request: FixedRateLoad.Request) -> (status: Int, body: [UInt8]) {
        for _ in 0..<2 {
            if socket < 0, !open() { return (0, []) }
            var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            for header in request.headers { head += header + "\r\n" }
            head += "Content-Length: \(request.body.count)\r\n\r\n"
            let bytes = Array(head.utf8) + request.body
            if writeAll(bytes), let answer = readAnswer() { return answer }
            close()
        }
        return (0, [])
    }

    private mutating func open() -> Bool {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return false
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
        buffer.removeAll(keepingCapacity: true)
        return true
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(socket, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Reads one answer with a `Content-Length` body (what Hummingbird and webhook send).
    private mutating func readAnswer() -> (status: Int, body: [UInt8])? {
        while true {
            if let end = headerEnd() {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                guard let statusLine = lines.first, statusLine.count >= 12,
                    let status = Int(statusLine.dropFirst(9).prefix(3))
                else { return nil }
                var length = 0
                for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                let total = end + 4 + length
                while buffer.count < total { guard fill() else { return nil } }
                let body = Array(buffer[(end + 4)..<total])
                buffer.removeFirst(total)
                return (status, body)
            }
            guard fill() else { return nil }
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(socket, $0.baseAddress!, 16384) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
    }
}

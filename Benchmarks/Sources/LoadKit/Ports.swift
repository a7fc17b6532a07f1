import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port of 127.0.0.1 that is free right now (the kernel's pick for port 0).
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            _ = bind(fd, pointer, length)
            _ = getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until `GET path` on 127.0.0.1:`port` answers 200, up to `timeout` seconds.
public func waitForOK(port: Int, path: String, timeout: Double = 30) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        var connection = Connection(port: port)
        let answer = connection.send(.init(method: "GET", path: path, headers: [], body: []))
        connection.close()
        if answer.status == 200 { return true }
        usleep(50_000)
    }
    return false
}

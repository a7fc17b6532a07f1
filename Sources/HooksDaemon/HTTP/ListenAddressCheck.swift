import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A listen address that cannot be bound, named by its config key.
public struct ListenAddressUnavailable: Error, CustomStringConvertible {
    /// `listen` or `admin_listen`.
    public let key: String
    /// The address as configured.
    public let address: DaemonConfig.ListenAddress
    /// Why, in the system's words (`Address already in use`).
    public let reason: String

    public var description: String {
        "\(key) \(address): \(reason); another process (a second daemon?) holds it: stop it, or set \(key) "
            + "to a free address"
    }
}

extension DaemonConfig.ListenAddress {
    /// Checks that the address can be bound now, as the listeners will bind it (`SO_REUSEADDR`),
    /// so that a taken port stops the start before the store opens and before systemd is told
    /// READY, with an error that names the key. Port 0 (any free port) is not checked.
    func checkBindable(key: String) throws {
        guard port != 0 else { return }
        let resolved: SocketAddress
        do {
            resolved = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw ListenAddressUnavailable(key: key, address: self, reason: "the host does not resolve")
        }
        let family = resolved.protocol.rawValue
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let bound = resolved.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) }
        guard bound == 0 else {
            throw ListenAddressUnavailable(key: key, address: self, reason: String(cString: strerror(errno)))
        }
    }
}

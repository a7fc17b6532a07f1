#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A block of IPv4 or IPv6 addresses written as `ADDRESS/PREFIX` (`10.0.0.0/8`, `fd00::/8`) or a
/// single address (`192.0.2.7`, `::1`), for `trusted_proxies` and `allow_from`.
///
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.7`, as a dual-stack listener reports IPv4 peers)
/// are compared as the IPv4 address they carry.
public struct CIDRBlock: Sendable, Equatable, CustomStringConvertible {
    /// The network's address bytes (4 or 16), with the bits past the prefix cleared.
    let network: [UInt8]
    /// How many leading bits must match.
    let prefixLength: Int

    /// Parses `ADDRESS[/PREFIX]`; `nil` when it is not one.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let address = Self.addressBytes(parts[0]) else { return nil }
        let maximum = address.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed >= 0, parsed <= maximum, !parts[1].hasPrefix("+") else {
                return nil
            }
            prefix = parsed
        }
        self.network = Self.masked(address, prefixLength: prefix)
        self.prefixLength = prefix
    }

    /// Whether `address` (a textual IPv4 or IPv6 address) lies in this block.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        return contains(bytes: bytes)
    }

    func contains(bytes: [UInt8]) -> Bool {
        bytes.count == network.count && Self.masked(bytes, prefixLength: prefixLength) == network
    }

    public var description: String {
        "\(Self.text(network))/\(prefixLength)"
    }

    /// Whether `address` lies in any of `blocks`.
    public static func any(_ blocks: [CIDRBlock], contains address: String) -> Bool {
        guard let bytes = addressBytes(address) else { return false }
        return blocks.contains { $0.contains(bytes: bytes) }
    }

    /// The address's bytes: 4 for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; `nil` when it is not an
    /// address. A zone (`fe80::1%eth0`) is ignored.
    static func addressBytes(_ text: String) -> [UInt8]? {
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        if Array(bytes[0..<12]) == mappedPrefix { return Array(bytes[12...]) }
        return bytes
    }

    static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = bytes
        for index in result.indices {
            let bitsKept = min(max(prefixLength - index * 8, 0), 8)
            result[index] &= bitsKept == 8 ? 0xFF : ~(UInt8(0xFF) >> bitsKept)
        }
        return result
    }

    static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var storage = in6_addr()
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &storage, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import Foundation

/// Decides which address a delivery came from: the TCP peer, or, when the peer is a trusted
/// reverse proxy, the address that proxy reports in `X-Forwarded-For`.
public struct ClientAddress: Sendable {
    /// Proxies whose `X-Forwarded-For` is believed (`trusted_proxies`). Empty: the header is ignored.
    public let trustedProxies: [CIDRBlock]

    public init(trustedProxies: [CIDRBlock]) {
        self.trustedProxies = trustedProxies
    }

    /// The client's address for a connection from `peer` carrying the `X-Forwarded-For` header
    /// values `forwardedFor` (several headers count as one comma-separated list).
    ///
    /// Each trusted proxy appends the address it received from, so the list is read from the right:
    /// the first address that is not a trusted proxy is the client. A malformed entry stops the
    /// walk at the last trusted hop, so a client cannot smuggle in an address. When every entry is
    /// a trusted proxy, the leftmost one is the client.
    public func resolve(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !trustedProxies.isEmpty, CIDRBlock.any(trustedProxies, contains: peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var client = peer
        for hop in hops.reversed() {
            guard CIDRBlock.addressBytes(hop) != nil else { return client }
            client = hop
            if !CIDRBlock.any(trustedProxies, contains: hop) { return hop }
        }
        return client
    }
}

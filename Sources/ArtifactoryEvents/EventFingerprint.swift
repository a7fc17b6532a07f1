/// The identity of a delivery for deduplication: SHA-256 over the endpoint name, a zero byte, and
/// the raw body. Artifactory sends no delivery id, and HA clusters deliver the same event twice.
public struct EventFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    public init(endpoint: String, body: some Collection<UInt8>) {
        var input = Array(endpoint.utf8)
        input.append(0)
        input.append(contentsOf: body)
        bytes = Digest.sha256(input)
    }

    /// Wraps stored digest bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Lowercase hex.
    public var description: String { Digest.hex(bytes) }
}

import COpenSSL

/// An HMAC over a message that arrives in pieces (OpenSSL's `EVP_MAC`), so a body can be verified
/// while it streams in instead of in a second pass once it is all there.
///
/// Fails closed: when OpenSSL cannot make the MAC (a provider without HMAC, say), ``finish()``
/// returns no bytes, which matches no signature. One task feeds a stream; it is freed with it.
public final class HMACStream {
    /// `nil` when OpenSSL could not set the MAC up.
    private let context: OpaquePointer?
    /// The hash under the MAC.
    public let algorithm: Digest.Algorithm

    /// Starts an HMAC of `algorithm` under `key`.
    public init(_ algorithm: Digest.Algorithm, key: [UInt8]) {
        self.algorithm = algorithm
        context = Self.makeContext(algorithm, key: key)
    }

    deinit {
        EVP_MAC_CTX_free(context)
    }

    private static func makeContext(_ algorithm: Digest.Algorithm, key: [UInt8]) -> OpaquePointer? {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { return nil }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { return nil }
        // OSSL_PARAM keeps pointers to its key and value, not copies: both must outlive
        // EVP_MAC_init, so both are buffers held across the call (a String argument's pointer
        // lives only for the call it is passed to).
        let parameterName = Array("digest".utf8CString)
        var digestName = Array(algorithm.openSSLName.utf8CString)
        let initialised = parameterName.withUnsafeBufferPointer { parameter in
            digestName.withUnsafeMutableBufferPointer { name in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(parameter.baseAddress, name.baseAddress, 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withUnsafeBufferPointer { keyBytes in
                    // An empty key may have no base address; OpenSSL wants a valid pointer.
                    let emptyByte: UInt8 = 0
                    return withUnsafePointer(to: emptyByte) { empty in
                        EVP_MAC_init(context, keyBytes.baseAddress ?? empty, keyBytes.count, &parameters)
                    }
                }
            }
        }
        guard initialised == 1 else {
            EVP_MAC_CTX_free(context)
            return nil
        }
        return context
    }

    /// Adds the next piece of the message.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let context, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = EVP_MAC_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Adds the next piece of the message.
    public func update(_ bytes: some Collection<UInt8>) {
        let added: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if added == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The MAC of everything added; empty when OpenSSL failed. Call once.
    public func finish() -> [UInt8] {
        guard let context else { return [] }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let finished = output.withUnsafeMutableBufferPointer {
            EVP_MAC_final(context, $0.baseAddress, &length, $0.count)
        }
        return finished == 1 ? Array(output.prefix(length)) : []
    }
}

extension Digest.Algorithm {
    /// The digest's name for OpenSSL's `digest` MAC parameter.
    var openSSLName: String {
        switch self {
        case .sha256: "SHA256"
        case .sha1: "SHA1"
        }
    }
}

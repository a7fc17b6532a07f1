import COpenSSL

/// Hash and MAC primitives from the system's OpenSSL (`libcrypto`), so a FIPS deployment can use
/// its validated provider.
public enum Digest {
    /// The hash functions the webhook auth modes use.
    public enum Algorithm: Sendable {
        case sha256
        case sha1

        var evp: OpaquePointer? {
            switch self {
            case .sha256: EVP_sha256()
            case .sha1: EVP_sha1()
            }
        }

        /// Output size in bytes.
        public var byteCount: Int {
            switch self {
            case .sha256: 32
            case .sha1: 20
            }
        }
    }

    /// HMAC of `message` under `key`.
    public static func hmac(_ algorithm: Algorithm, key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let computed: Void? = message.withContiguousStorageIfAvailable { body in
            hmac(algorithm, key: key, body: UnsafeRawBufferPointer(body), into: &output, length: &length)
        }
        if computed == nil {
            let copy = Array(message)
            copy.withUnsafeBytes { hmac(algorithm, key: key, body: $0, into: &output, length: &length) }
        }
        return Array(output.prefix(Int(length)))
    }

    private static func hmac(
        _ algorithm: Algorithm,
        key: [UInt8],
        body: UnsafeRawBufferPointer,
        into output: inout [UInt8],
        length: inout UInt32
    ) {
        key.withUnsafeBytes { keyBytes in
            // An empty buffer may have a nil base address; OpenSSL wants a valid pointer.
            let emptyByte: UInt8 = 0
            withUnsafePointer(to: emptyByte) { empty in
                let keyPointer = keyBytes.baseAddress ?? UnsafeRawPointer(empty)
                let bodyPointer = body.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
                output.withUnsafeMutableBufferPointer { out in
                    _ = HMAC(
                        algorithm.evp, keyPointer, Int32(key.count), bodyPointer, body.count, out.baseAddress,
                        &length)
                }
            }
        }
    }

    /// SHA-256 of `message`.
    public static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        hash(message, EVP_sha256())
    }

    /// SHA-1 of `message`: the checksum Artifactory links build artifacts by, not for signatures.
    public static func sha1(_ message: some Collection<UInt8>) -> [UInt8] {
        hash(message, EVP_sha1())
    }

    /// MD5 of `message`: a checksum Artifactory reports, not for anything secret. Empty when the
    /// OpenSSL provider refuses MD5 (a FIPS one does).
    public static func md5(_ message: some Collection<UInt8>) -> [UInt8] {
        hash(message, EVP_md5())
    }

    private static func hash(_ message: some Collection<UInt8>, _ algorithm: OpaquePointer?) -> [UInt8] {
        let bytes = Array(message)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let succeeded = bytes.withUnsafeBytes { body in
            output.withUnsafeMutableBufferPointer { out in
                let emptyByte: UInt8 = 0
                return withUnsafePointer(to: emptyByte) { empty in
                    EVP_Digest(
                        body.baseAddress ?? UnsafeRawPointer(empty), body.count, out.baseAddress, &length, algorithm,
                        nil) == 1
                }
            }
        }
        return succeeded ? Array(output.prefix(Int(length))) : []
    }

    /// Compares two byte strings in time that depends only on their length (`CRYPTO_memcmp`).
    /// Strings of different lengths are unequal; callers compare fixed-size digests so the length
    /// itself reveals nothing.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, lhs.count) == 0
            }
        }
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of a hex string in either case; `nil` when it is not hex of even length.
    public static func bytes(fromHex text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

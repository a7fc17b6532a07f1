import ArtifactoryEvents

/// The checksums Artifactory keeps for a file's content: SHA-1, SHA-256 and MD5, as lowercase hex,
/// computed by the system OpenSSL (``Digest``).
struct ContentDigest: Sendable, Hashable {
    var sha1: String
    var sha256: String
    var md5: String

    init(_ content: [UInt8]) {
        sha1 = Digest.hex(Digest.sha1(content))
        sha256 = Digest.hex(Digest.sha256(content))
        md5 = Digest.hex(Digest.md5(content))
    }

    /// Stand-in checksums for a file without content: FNV-1a hashes of `text` under distinct
    /// seeds, as hex of the usual lengths. Unique per text in practice, but the digest of nothing;
    /// cheap, so seeding tens of thousands of files stays fast.
    init(standIn text: String) {
        let bytes = Array(text.utf8)
        func words(_ seeds: Range<UInt64>) -> String {
            seeds.map { seed in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                let digits = String(hash, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            .joined()
        }
        sha256 = words(0..<4)
        sha1 = String(words(4..<7).prefix(40))
        md5 = words(7..<9)
    }
}

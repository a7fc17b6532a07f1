import Foundation

/// The checksums Artifactory keeps for a file's content: SHA-1, SHA-256 and MD5, as lowercase hex.
///
/// Plain Swift implementations of FIPS 180-4 (SHA-1, SHA-256) and RFC 1321 (MD5), so the simulator
/// needs no crypto library; they run over in-memory content only.
struct ContentDigest: Sendable, Hashable {
    var sha1: String
    var sha256: String
    var md5: String

    init(_ content: [UInt8]) {
        sha1 = Self.hex(Self.sha1Words(content).flatMap(Self.bigEndian))
        sha256 = Self.hex(Self.sha256Words(content).flatMap(Self.bigEndian))
        md5 = Self.hex(Self.md5Words(content).flatMap(Self.littleEndian))
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

    // MARK: Padding

    /// The message padded to a multiple of 64 bytes with its bit length, big- or little-endian.
    private static func padded(_ message: [UInt8], bigEndianLength: Bool) -> [UInt8] {
        var bytes = message
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        let bits = UInt64(message.count) &* 8
        let length = (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        bytes += bigEndianLength ? length.reversed() : length
        return bytes
    }

    private static func words(_ block: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt32] {
        stride(from: block.startIndex, to: block.endIndex, by: 4).map { start in
            let four = block[start..<start + 4].map(UInt32.init)
            return bigEndian
                ? four[0] << 24 | four[1] << 16 | four[2] << 8 | four[3]
                : four[3] << 24 | four[2] << 16 | four[1] << 8 | four[0]
        }
    }

    private static func rotl(_ value: UInt32, _ count: UInt32) -> UInt32 { value << count | value >> (32 - count) }
    private static func rotr(_ value: UInt32, _ count: UInt32) -> UInt32 { value >> count | value << (32 - count) }

    // MARK: SHA-1

    private static func sha1Words(_ message: [UInt8]) -> [UInt32] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        let bytes = padded(message, bigEndianLength: true)
        for start in stride(from: 0, to: bytes.count, by: 64) {
            var w = words(bytes[start..<start + 64], bigEndian: true)
            for t in 16..<80 { w.append(rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let (f, k): (UInt32, UInt32) =
                    switch t {
                    case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
                    case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                    case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                    default: (b ^ c ^ d, 0xCA62_C1D6)
                    }
                let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, temp)
            }
            h[0] &+= a
            h[1] &+= b
            h[2] &+= c
            h[3] &+= d
            h[4] &+= e
        }
        return h
    }

    // MARK: SHA-256

    private static let sha256K: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private static func sha256Words(_ message: [UInt8]) -> [UInt32] {
        var h: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        let bytes = padded(message, bigEndianLength: true)
        for start in stride(from: 0, to: bytes.count, by: 64) {
            var w = words(bytes[start..<start + 64], bigEndian: true)
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w.append(w[t - 16] &+ s0 &+ w[t - 7] &+ s1)
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choice = (e & f) ^ (~e & g)
                let temp1 = hh &+ s1 &+ choice &+ sha256K[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ s0 &+ majority)
            }
            let v = [a, b, c, d, e, f, g, hh]
            for index in 0..<8 { h[index] &+= v[index] }
        }
        return h
    }

    // MARK: MD5

    private static let md5Shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
        20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6,
        10, 15, 21,
    ]

    /// `floor(abs(sin(i + 1)) * 2^32)`, RFC 1321's table.
    private static let md5K: [UInt32] = (0..<64).map { index in
        UInt32(truncatingIfNeeded: Int64((abs(sin(Double(index + 1))) * 4_294_967_296).rounded(.down)))
    }

    private static func md5Words(_ message: [UInt8]) -> [UInt32] {
        var h: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        let bytes = padded(message, bigEndianLength: false)
        for start in stride(from: 0, to: bytes.count, by: 64) {
            let m = words(bytes[start..<start + 64], bigEndian: false)
            var (a, b, c, d) = (h[0], h[1], h[2], h[3])
            for i in 0..<64 {
                let (f, g): (UInt32, Int) =
                    switch i {
                    case 0..<16: ((b & c) | (~b & d), i)
                    case 16..<32: ((d & b) | (~d & c), (5 * i + 1) % 16)
                    case 32..<48: (b ^ c ^ d, (3 * i + 5) % 16)
                    default: (c ^ (b | ~d), (7 * i) % 16)
                    }
                let sum = a &+ f &+ md5K[i] &+ m[g]
                (a, d, c) = (d, c, b)
                b = b &+ rotl(sum, md5Shifts[i])
            }
            h[0] &+= a
            h[1] &+= b
            h[2] &+= c
            h[3] &+= d
        }
        return h
    }

    // MARK: Output

    private static func bigEndian(_ word: UInt32) -> [UInt8] {
        [UInt8(word >> 24), UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
    }

    private static func littleEndian(_ word: UInt32) -> [UInt8] { bigEndian(word).reversed() }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }
}

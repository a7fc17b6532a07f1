/// Verifies the `X-JFrog-Event-Auth` header of a delivery over its raw body bytes, before anything
/// parses the body. Several secrets may be valid at once (rotation); every comparison runs in
/// constant time and nothing about the expected value is ever returned.
public struct SignatureVerifier: Sendable {
    /// The header Artifactory puts its token or signature in.
    public static let headerName = "X-JFrog-Event-Auth"

    /// The endpoint's auth mode.
    public let mode: AuthMode
    /// For `token` mode, the SHA-256 of each secret, so comparisons are of fixed length.
    private let tokenDigests: [[UInt8]]
    /// For HMAC modes, the secrets as keys.
    private let keys: [[UInt8]]

    /// - Parameters:
    ///   - mode: how the header is checked.
    ///   - secrets: every secret currently valid; empty only with `.none`.
    public init(mode: AuthMode, secrets: [String]) {
        self.mode = mode
        self.keys = secrets.map { Array($0.utf8) }
        self.tokenDigests = secrets.map { Digest.sha256(Array($0.utf8)) }
    }

    /// Whether `header` proves that `body` was sent by a holder of one of the secrets.
    public func verify(header: String?, body: some Collection<UInt8>) -> Bool {
        guard let check = begin(header: header) else { return false }
        check.update(body)
        return check.finish()
    }

    /// Starts checking a delivery whose header is `header`, for a body that arrives in pieces.
    ///
    /// `nil` when the header alone already fails: missing, not a signature of the mode's length,
    /// or a wrong token. The body then need not be read at all.
    public func begin(header: String?) -> SignatureCheck? {
        switch mode {
        case .none:
            return .accepted
        case .token:
            guard let header, !header.isEmpty else { return nil }
            let presented = Digest.sha256(Array(header.utf8))
            return SignatureCheck.matchesAny(tokenDigests, presented) ? .accepted : nil
        case .hmacSHA256:
            guard let presented = Self.signatureBytes(header, prefix: "sha256=", length: 32) else { return nil }
            return SignatureCheck(macs: keys.map { HMACStream(.sha256, key: $0) }, presented: presented)
        case .hmacSHA1:
            guard let presented = Self.signatureBytes(header, prefix: "sha1=", length: 20) else { return nil }
            return SignatureCheck(macs: keys.map { HMACStream(.sha1, key: $0) }, presented: presented)
        }
    }

    /// The signature bytes of a header: optional `prefix` (any case), hex in either case.
    static func signatureBytes(_ header: String?, prefix: String, length: Int) -> [UInt8]? {
        guard var value = header?.trimmingWhitespace() else { return nil }
        if value.lowercased().hasPrefix(prefix) { value = String(value.dropFirst(prefix.count)) }
        guard let bytes = Digest.bytes(fromHex: value), bytes.count == length else { return nil }
        return bytes
    }

    /// Computes the header value a sender puts on `body` (for `send` and tests).
    public static func header(mode: AuthMode, secret: String, body: some Collection<UInt8>) -> String? {
        switch mode {
        case .none: nil
        case .token: secret
        case .hmacSHA256: Digest.hex(Digest.hmac(.sha256, key: Array(secret.utf8), message: body))
        case .hmacSHA1: "sha1=" + Digest.hex(Digest.hmac(.sha1, key: Array(secret.utf8), message: body))
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}

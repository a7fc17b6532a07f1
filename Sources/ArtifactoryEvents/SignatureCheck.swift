/// The signature check of one delivery while its body streams in, from
/// ``SignatureVerifier/begin(header:)``: each piece of the body goes through ``update(_:)`` as it
/// arrives, and ``finish()`` says whether the header proves the whole body.
///
/// One HMAC per valid secret runs over the body; the comparison at the end checks every one in
/// constant time, so timing does not tell which secret (old or new) matched.
public struct SignatureCheck {
    /// One HMAC per valid secret; empty when the header alone decided.
    let macs: [HMACStream]
    /// The signature the header carries; `nil` when the header alone decided (a right token, `none`).
    let presented: [UInt8]?

    /// A check the header has already passed (`token` and `none` modes).
    static var accepted: SignatureCheck { SignatureCheck(macs: [], presented: nil) }

    /// Adds the next piece of the body.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        for mac in macs { mac.update(bytes) }
    }

    /// Adds the next piece of the body.
    public func update(_ bytes: some Collection<UInt8>) {
        for mac in macs { mac.update(bytes) }
    }

    /// Whether the header proves the body added; call once, after the last piece.
    public func finish() -> Bool {
        guard let presented else { return true }
        return Self.matchesAny(macs.map { $0.finish() }, presented)
    }

    /// Checks every candidate, without stopping at the first match.
    static func matchesAny(_ candidates: [[UInt8]], _ presented: [UInt8]) -> Bool {
        var matched = false
        for candidate in candidates where Digest.constantTimeEqual(candidate, presented) {
            matched = true
        }
        return matched
    }
}

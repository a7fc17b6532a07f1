import ArtifactoryEvents
import Testing

@Suite("Signatures checked while the body streams in")
struct SignatureCheckTests {
    @Test("HMAC-SHA256 over pieces gives the RFC 4231 known answer and the one-shot result")
    func streamKnownAnswer() {
        // RFC 4231, test case 2.
        let message = Array("what do ya want for nothing?".utf8)
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        for split in [0, 1, 13, message.count] {
            let stream = HMACStream(.sha256, key: Array("Jefe".utf8))
            stream.update(message[..<split])
            stream.update(message[split...])
            #expect(Digest.hex(stream.finish()) == expected, "split at \(split)")
        }
        #expect(Digest.hex(Digest.hmac(.sha256, key: Array("Jefe".utf8), message: message)) == expected)
    }

    @Test("HMAC-SHA1 over pieces matches the one-shot HMAC")
    func streamSHA1() {
        let message = Array(repeating: UInt8(ascii: "z"), count: 5000)
        let stream = HMACStream(.sha1, key: Array("k".utf8))
        for start in stride(from: 0, to: message.count, by: 777) {
            stream.update(message[start..<min(start + 777, message.count)])
        }
        #expect(stream.finish() == Digest.hmac(.sha1, key: Array("k".utf8), message: message))
    }

    @Test("a body checked in pieces is accepted under any valid secret and refused when changed")
    func piecesVerify() {
        let verifier = SignatureVerifier(mode: .hmacSHA256, secrets: ["old", "new"])
        let body = Array(#"{"event_type":"deployed"}"#.utf8)
        for secret in ["old", "new"] {
            let header = SignatureVerifier.header(mode: .hmacSHA256, secret: secret, body: body)
            let check = verifier.begin(header: header)
            check?.update(body[..<5])
            check?.update(body[5...])
            #expect(check?.finish() == true, "\(secret)")
            let tampered = verifier.begin(header: header)
            tampered?.update(body + [UInt8(ascii: " ")])
            #expect(tampered?.finish() == false, "\(secret)")
        }
    }

    @Test(
        "a header that can never match is refused before the body is read",
        arguments: [
            (AuthMode.hmacSHA256, nil), (.hmacSHA256, ""), (.hmacSHA256, "sha256=abc"),
            (.hmacSHA256, String(repeating: "zz", count: 32)), (.hmacSHA1, String(repeating: "ab", count: 32)),
            (.token, nil), (.token, "secret-but-wrong"),
        ] as [(AuthMode, String?)])
    func refusedFromHeader(mode: AuthMode, header: String?) {
        let refused = SignatureVerifier(mode: mode, secrets: ["secret"]).begin(header: header) == nil
        #expect(refused)
    }

    @Test("a right token, and auth none, pass on the header alone")
    func passFromHeader() {
        #expect(SignatureVerifier(mode: .token, secrets: ["a", "b"]).begin(header: "b")?.finish() == true)
        #expect(SignatureVerifier(mode: .none, secrets: []).begin(header: nil)?.finish() == true)
    }
}

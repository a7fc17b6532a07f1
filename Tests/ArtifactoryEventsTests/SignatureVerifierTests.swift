import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Testing

@Suite("Signature verification over raw bytes")
struct SignatureVerifierTests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: String
        let secret: String
        let body_file: String
        let header: String
        let accepted: Bool

        var testDescription: String { name }
    }

    static let vectors: [Vector] = {
        let data = try! Data(contentsOf: Fixtures.root.appendingPathComponent("signatures/vectors.json"))
        return try! JSONDecoder().decode([Vector].self, from: data)
    }()

    @Test("known-answer vectors computed by openssl", arguments: vectors)
    func knownAnswer(vector: Vector) throws {
        let body = try Fixtures.bytes("signatures/" + vector.body_file)
        let mode = try #require(AuthMode(rawValue: vector.algorithm))
        let verifier = SignatureVerifier(mode: mode, secrets: [vector.secret])
        #expect(verifier.verify(header: vector.header, body: body) == vector.accepted)
    }

    @Test("the header we compute is the vector's canonical form", arguments: vectors.filter { $0.accepted })
    func computesHeader(vector: Vector) throws {
        let body = try Fixtures.bytes("signatures/" + vector.body_file)
        let mode = try #require(AuthMode(rawValue: vector.algorithm))
        let header = try #require(SignatureVerifier.header(mode: mode, secret: vector.secret, body: body))
        #expect(SignatureVerifier(mode: mode, secrets: [vector.secret]).verify(header: header, body: body))
        let canonical = vector.header.lowercased().replacingOccurrences(of: "sha256=", with: "")
        #expect(header == canonical)
    }

    @Test("a single changed byte fails")
    func tamperedBody() {
        let body = Array(#"{"event_type":"deployed"}"#.utf8)
        let header = SignatureVerifier.header(mode: .hmacSHA256, secret: "k", body: body)
        var tampered = body
        tampered[3] ^= 0x01
        let verifier = SignatureVerifier(mode: .hmacSHA256, secrets: ["k"])
        #expect(verifier.verify(header: header, body: body))
        #expect(!verifier.verify(header: header, body: tampered))
    }

    @Test("every secret of a rotation is accepted, no other")
    func rotation() {
        let body = Array("{}".utf8)
        let verifier = SignatureVerifier(mode: .hmacSHA256, secrets: ["old", "new"])
        #expect(
            verifier.verify(header: SignatureVerifier.header(mode: .hmacSHA256, secret: "old", body: body), body: body))
        #expect(
            verifier.verify(header: SignatureVerifier.header(mode: .hmacSHA256, secret: "new", body: body), body: body))
        #expect(
            !verifier.verify(
                header: SignatureVerifier.header(mode: .hmacSHA256, secret: "other", body: body), body: body))
    }

    @Test("token mode compares the header with the secret itself")
    func tokenMode() {
        let verifier = SignatureVerifier(mode: .token, secrets: ["tok-1", "tok-2"])
        #expect(verifier.verify(header: "tok-1", body: []))
        #expect(verifier.verify(header: "tok-2", body: []))
        #expect(!verifier.verify(header: "tok-", body: []))
        #expect(!verifier.verify(header: "tok-10", body: []))
        #expect(!verifier.verify(header: "", body: []))
        #expect(!verifier.verify(header: nil, body: []))
    }

    @Test(
        "malformed signature headers fail",
        arguments: [
            nil, "", "sha256=", "zz", "sha1=" + String(repeating: "a", count: 40), String(repeating: "a", count: 63),
        ])
    func malformed(header: String?) {
        let verifier = SignatureVerifier(mode: .hmacSHA256, secrets: ["k"])
        #expect(!verifier.verify(header: header, body: Array("{}".utf8)))
    }

    @Test("no secrets means nothing verifies, except in mode none")
    func noSecrets() {
        #expect(!SignatureVerifier(mode: .hmacSHA256, secrets: []).verify(header: "00", body: []))
        #expect(!SignatureVerifier(mode: .token, secrets: []).verify(header: "x", body: []))
        #expect(SignatureVerifier(mode: .none, secrets: []).verify(header: nil, body: []))
    }

    @Test("fingerprints differ by endpoint and by body, and match for the same pair")
    func fingerprint() {
        let body = Array("{}".utf8)
        #expect(EventFingerprint(endpoint: "a", body: body) == EventFingerprint(endpoint: "a", body: body))
        #expect(EventFingerprint(endpoint: "a", body: body) != EventFingerprint(endpoint: "b", body: body))
        #expect(EventFingerprint(endpoint: "a", body: body) != EventFingerprint(endpoint: "a", body: Array("{ }".utf8)))
        // Endpoint and body are separated, so "ab"+"c" is not "a"+"bc".
        #expect(
            EventFingerprint(endpoint: "ab", body: Array("c".utf8))
                != EventFingerprint(endpoint: "a", body: Array("bc".utf8)))
        #expect(EventFingerprint(endpoint: "a", body: body).bytes.count == 32)
    }

    @Test("SHA-256 known answer")
    func sha256() {
        #expect(
            Digest.hex(Digest.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

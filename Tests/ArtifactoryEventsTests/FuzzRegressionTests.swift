import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Testing

/// The inputs under `fixtures/fuzz-regressions/fuzz-signature/` that once made the fuzz target
/// fail, checked with the properties that target checks (Fuzz/fuzz-signature). They are also
/// replayed by scripts/fuzz.sh under the address sanitizer, which sees memory errors this
/// ordinary build cannot.
@Suite("Signature inputs the fuzzer found")
struct FuzzRegressionTests {
    static let secrets = ["s3cr3t-main", "a second secret"]

    static let inputs: [String] = {
        let folder = Fixtures.root.appendingPathComponent("fuzz-regressions/fuzz-signature").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }()

    /// One fuzz-signature input: a control byte (mode, where the body is cut), the header up to
    /// the first newline, then the body.
    struct Input {
        let mode: AuthMode
        let cut: Int
        let header: String
        let body: [UInt8]

        init(_ bytes: [UInt8]) throws {
            let control = try #require(bytes.first)
            let rest = bytes.dropFirst()
            let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
            header = String(decoding: rest[..<newline], as: UTF8.self)
            body = Array(rest[newline...].dropFirst())
            mode = AuthMode.allCases[Int(control) % AuthMode.allCases.count]
            cut = Int(control) / AuthMode.allCases.count % (body.count + 1)
        }
    }

    @Test("the regression folder is not empty")
    func present() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test("the streamed check agrees with verify, and the senders' headers verify", arguments: inputs)
    func signatureInput(name: String) throws {
        let input = try Input(try Fixtures.bytes("fuzz-regressions/fuzz-signature/" + name))
        let verifier = SignatureVerifier(mode: input.mode, secrets: Self.secrets)
        let verified = verifier.verify(header: input.header, body: input.body)
        let check = verifier.begin(header: input.header)
        check?.update(input.body[..<input.cut])
        check?.update(input.body[input.cut...])
        #expect((check?.finish() ?? false) == verified)
        guard input.mode != .none else {
            #expect(verified)
            return
        }
        for secret in Self.secrets {
            let signed = try #require(SignatureVerifier.header(mode: input.mode, secret: secret, body: input.body))
            #expect(verifier.verify(header: signed, body: input.body), "\(secret)")
        }
    }

    @Test("a streamed HMAC of each regression body equals the one-shot HMAC", arguments: inputs)
    func streamedMAC(name: String) throws {
        let input = try Input(try Fixtures.bytes("fuzz-regressions/fuzz-signature/" + name))
        for algorithm in [Digest.Algorithm.sha256, .sha1] {
            for secret in Self.secrets {
                let key = Array(secret.utf8)
                let stream = HMACStream(algorithm, key: key)
                stream.update(input.body)
                #expect(stream.finish() == Digest.hmac(algorithm, key: key, message: input.body), "\(algorithm)")
            }
        }
    }
}

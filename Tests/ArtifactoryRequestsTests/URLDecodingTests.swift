import ArtifactoryRequests
import Foundation
import HooksTestSupport
import Testing

/// The one decoder, byte-exact as a servlet container reads a path segment, and the dot-segment
/// check every client runs before sending built on it.
struct URLDecodingTests {
    @Test(
        "each %XX is its byte, every other byte is itself; a leading U+FEFF and non-UTF-8 bytes stay",
        arguments: [
            ("a%20b", Array("a b".utf8)),
            ("%2e%2E", Array("..".utf8)),
            ("%EF%BB%BFa", [0xEF, 0xBB, 0xBF, 0x61]),
            ("%ef%bb%bf", [0xEF, 0xBB, 0xBF]),
            ("%FF%00", [0xFF, 0x00]),
            ("ü+", Array("ü+".utf8)),
            ("", []),
        ] as [(String, [UInt8])])
    func decodesBytes(_ text: String, _ expected: [UInt8]) {
        #expect(URLEncoding.percentDecodedBytes(text) == expected)
    }

    @Test("a % without two hex digits after it is malformed", arguments: ["%", "%2", "a%G0", "%2g", "100%"])
    func malformed(_ text: String) {
        #expect(URLEncoding.percentDecodedBytes(text) == nil)
        #expect(URLEncoding.percentDecoded(text) == nil)
    }

    @Test("text is UTF-8 or nothing: a leading byte order mark is kept, a lone %FF is refused")
    func decodesText() {
        #expect(URLEncoding.percentDecoded("%EF%BB%BF..") == "\u{FEFF}..")
        #expect(URLEncoding.percentDecoded("%C3%BC") == "ü")
        #expect(URLEncoding.percentDecoded("%FF") == nil)
    }

    @Test(
        "dot segments, raw or encoded, and nothing else",
        arguments: [
            (".", true), ("..", true), ("%2e", true), ("%2E%2e", true), (".%2E", true),
            ("...", false), ("%EF%BB%BF..", false), ("..%00", false), ("%2e%2", false), ("a", false),
        ])
    func dotSegments(_ segment: String, _ isDot: Bool) {
        #expect(URLEncoding.isDotSegment(segment) == isDot)
    }

    /// The inputs under `fixtures/fuzz-regressions/fuzz-url/` that once made the fuzz target fail
    /// (a path whose first segment starts with U+FEFF, for one).
    static let regressions: [String] = {
        let folder = Fixtures.root.appendingPathComponent("fuzz-regressions/fuzz-url").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }()

    @Test("the regression folder is not empty")
    func regressionsPresent() {
        #expect(!Self.regressions.isEmpty)
    }

    @Test("an input the fuzzer found: the encoded path decodes to the path's own segments", arguments: regressions)
    func fuzzRegression(name: String) throws {
        let text = String(decoding: try Fixtures.bytes("fuzz-regressions/fuzz-url/" + name), as: UTF8.self)
        let path = try ItemPath(text)
        let segments = text.utf8.split(separator: UInt8(ascii: "/")).map { Array($0) }
        let decoded = path.encoded.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { URLEncoding.percentDecodedBytes(Substring($0)) }
        #expect(decoded == segments.map { Optional($0) })
    }
}

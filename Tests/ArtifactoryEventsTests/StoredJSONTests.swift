import ArtifactoryEvents
import Foundation
import Testing

/// The JSON the daemon writes for its own records: the same text `JSONEncoder` wrote before.
struct StoredJSONTests {
    /// Every control character, quotes, backslashes, slashes and text beyond ASCII.
    static let awkward = [
        "", "plain", "a\"b", "back\\slash", "a/b", "é☃︎🚀", String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }),
        "\u{7F}\u{2028}\u{2029}",
    ]

    @Test("strings are escaped exactly as JSONEncoder escapes them without escaping slashes")
    func escapingMatchesTheEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        for text in Self.awkward {
            var written = ""
            JSONObjectWriter.appendQuoted(text, to: &written)
            #expect(written == String(decoding: try encoder.encode(text), as: UTF8.self))
            #expect(try JSONParser.parse(written.utf8) == .string(text))
        }
    }

    @Test("members come in the order given, nil values are left out, an empty object is {}")
    func objectShape() {
        var object = JSONObjectWriter()
        #expect(object.finished == "{}")
        object.string("b", "x")
        object.string("a", nil)
        object.integer("n", -12)
        #expect(object.finished == #"{"b":"x","n":-12}"#)
    }

    @Test("expected effects are stored with sorted keys, read back, and rows written before read too")
    func effectsRoundTrip() throws {
        let effects =
            Self.awkward.map {
                ExpectedEffect(subject: "artifact:r/\($0)", kind: "artifact_property.added", detail: $0)
            }
            + [ExpectedEffect(subject: "build:b#1", kind: "build.promoted")]
        #expect(try ExpectedEffect.decodeStored(ExpectedEffect.storedJSON(effects)) == effects)
        #expect(ExpectedEffect.storedJSON([]) == "[]")
        #expect(
            ExpectedEffect.storedJSON([
                ExpectedEffect(subject: "artifact:r/a.jar", kind: "artifact_property.added", detail: "q\"a"),
                ExpectedEffect(subject: "build:b#1", kind: "build.promoted"),
            ])
                == #"[{"detail":"q\"a","kind":"artifact_property.added","subject":"artifact:r/a.jar"},"#
                + #"{"kind":"build.promoted","subject":"build:b#1"}]"#)
        // A row written by JSONEncoder's default settings: members in declaration order, slashes escaped.
        let older = #"[{"subject":"artifact:r\/a.jar","kind":"artifact_property.added","detail":"qa"}]"#
        #expect(
            try ExpectedEffect.decodeStored(older) == [
                ExpectedEffect(subject: "artifact:r/a.jar", kind: "artifact_property.added", detail: "qa")
            ])
    }

    @Test("stored effects that do not read back say why")
    func unreadableEffects() {
        for (json, reason) in [
            ("{", "not JSON"), ("{}", "not a JSON array"), ("[1]", "not an object"),
            (#"[{"kind":"k"}]"#, #"missing "subject""#),
            (#"[{"kind":"k","subject":"s","detail":2}]"#, #""detail" is not a string"#),
        ] {
            #expect {
                try ExpectedEffect.decodeStored(json)
            } throws: { error in
                (error as? StoredJSONError)?.reason.contains(reason) == true
            }
        }
    }
}

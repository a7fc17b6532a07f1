import ArtifactoryEvents
import Foundation
import Testing

@testable import Rules

/// Hostile values in paths, properties and queries: encoded, never interpreted.
struct EncodingTests {
    @Test(arguments: [
        ("plain-Name_1.0~x", "plain-Name_1.0~x"),
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("100%", "100%25"),
        ("a+b", "a%2Bb"),
        ("a;b=c,d|e", "a%3Bb%3Dc%2Cd%7Ce"),
        ("a\\b", "a%5Cb"),
        ("?#&", "%3F%23%26"),
        ("ü", "%C3%BC"),
        ("☃", "%E2%98%83"),
        ("%2E%2E", "%252E%252E"),
    ])
    func percentEncodesEverythingButUnreserved(_ text: String, _ expected: String) {
        #expect(ArtifactoryEncoding.percentEncode(text) == expected)
    }

    @Test(arguments: [
        ("pending", "pending"),
        ("a,b", "a%5C%2Cb"),
        ("a;b", "a%5C%3Bb"),
        ("1=1", "1%5C%3D1"),
        ("a|b", "a%5C%7Cb"),
        ("a\\b", "a%5C%5Cb"),
        ("a b", "a%20b"),
        ("50%", "50%25"),
        ("C++", "C%2B%2B"),
        ("naïve ☃", "na%C3%AFve%20%E2%98%83"),
        (",;=|\\", "%5C%2C%5C%3B%5C%3D%5C%7C%5C%5C"),
    ])
    func escapesPropertySyntaxThenPercentEncodes(_ text: String, _ expected: String) {
        #expect(ArtifactoryEncoding.propertyText(text) == expected)
    }

    @Test(arguments: [
        ("com/acme/a.jar", "com/acme/a.jar", "com/acme/a.jar", 3),
        ("/com//acme/a.jar/", "com/acme/a.jar", "com/acme/a.jar", 3),
        ("a b/c+d/ü", "a b/c+d/ü", "a%20b/c%2Bd/%C3%BC", 3),
        ("..a/b..", "..a/b..", "..a/b..", 2),
        ("", "", "", 0),
        ("//", "", "", 0),
    ])
    func pathsAreNormalizedAndEncodedPerSegment(path: String, text: String, encoded: String, segments: Int) throws {
        let parsed = try ArtifactoryEncoding.path(path, role: "path")
        #expect(parsed.text == text)
        #expect(parsed.encoded == encoded)
        #expect(parsed.segmentCount == segments)
    }

    @Test(arguments: [("a/../b", ".."), ("./a", "."), ("a/.", "."), ("..", ".."), ("a//../b", "..")])
    func pathsWithDotSegmentsAreRefused(path: String, segment: String) {
        #expect {
            try ArtifactoryEncoding.path(path, role: "path")
        } throws: { error in
            (error as? RulesError)?.code == .badPath
                && (error as? RulesError)?.message.contains("has a \"\(segment)\" segment") == true
        }
    }

    static let hostileEvent = #"""
        {
          "domain": "artifact", "event_type": "deployed",
          "source": "a,b;c=d|e\\f g%+ü",
          "data": {
            "repo_key": "libs-release-local",
            "path": "dir with space/a,b;c=d|e\\f%g+h/ünï ☃.jar",
            "name": "ünï ☃.jar"
          }
        }
        """#

    static let hostilePath = "dir%20with%20space/a%2Cb%3Bc%3Dd%7Ce%5Cf%25g%2Bh/%C3%BCn%C3%AF%20%E2%98%83.jar"

    @Test func hostilePropertyValuesAndPathsAreEncoded() throws {
        // Given
        let rules = try Fixtures.rules(
            """
            rules:
              - name: hostile
                on: artifact.deployed
                do:
                  - set_properties:
                      from.source: "{{ event.source }}"
                      literal: ["x,y", "1=1"]
                  - copy: { to: "libs qa/{{ data.name }}" }
                  - promote_build: { status: "{{ data.name }}" }
                    build_name: "team/{{ data.name }}"
                    build_number: "1/2"
            """)

        // When
        let plan = rules.plan(try Fixtures.event(json: Self.hostileEvent), context: Fixtures.context)

        // Then
        #expect(plan.failures == [])
        #expect(
            plan.actions.map(\.path) == [
                "api/storage/libs-release-local/\(Self.hostilePath)?properties="
                    + "from.source=a%5C%2Cb%5C%3Bc%5C%3Dd%5C%7Ce%5C%5Cf%20g%25%2B%C3%BC;literal=x%5C%2Cy,1%5C%3D1"
                    + "&recursive=0",
                "api/copy/libs-release-local/\(Self.hostilePath)?to=/libs%20qa/%C3%BCn%C3%AF%20%E2%98%83.jar",
                "api/build/promote/team%2F%C3%BCn%C3%AF%20%E2%98%83.jar/1%2F2",
            ])
        #expect(plan.actions[0].subject == "artifact:libs-release-local/dir with space/a,b;c=d|e\\f%g+h/ünï ☃.jar")
        #expect(plan.actions[2].subject == "build:team/ünï ☃.jar#1/2")
        #expect(plan.actions[2].body?.contains(#""status":"ünï ☃.jar""#) == true)
    }

    @Test(arguments: [
        ("a/../../etc/passwd", "path \"a/../../etc/passwd\" has a \"..\" segment; a path never leaves its repository"),
        ("./a.jar", "path \"./a.jar\" has a \".\" segment; a path never leaves its repository"),
        ("/", "the path is empty; an action never targets a whole repository"),
    ])
    func eventPathsThatClimbAreRefused(path: String, message: String) throws {
        let rules = try Fixtures.rules(
            "rules:\n  - name: r\n    on: artifact.deployed\n    do:\n      - delete: {}\n")
        let event = try Fixtures.event(
            json: #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs","path":"\#(path)"}}"#)

        let plan = rules.plan(event, context: Fixtures.context)

        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.badPath])
        #expect(plan.failures.map(\.message) == [message])
    }

    @Test(arguments: ["..", "a/..", "../b", "."])
    func templatedTargetsThatClimbAreRefused(name: String) throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: r
                on: artifact.deployed
                do:
                  - copy: { to: "libs-qa-local/{{ data.name }}" }
            """)
        let event = try Fixtures.event(
            json:
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs","path":"a.jar","name":"\#(name)"}}"#
        )

        let plan = rules.plan(event, context: Fixtures.context)

        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.badPath])
    }

    @Test(arguments: ["..", "."])
    func buildNamesThatClimbAreRefused(name: String) throws {
        let rules = try Fixtures.rules(
            "rules:\n  - name: r\n    on: build.uploaded\n    do:\n      - promote_build: { status: ok }\n")
        let event = try Fixtures.event(
            json: #"{"domain":"build","event_type":"uploaded","data":{"build_name":"\#(name)","build_number":"1"}}"#)

        let plan = rules.plan(event, context: Fixtures.context)

        #expect(plan.failures.map(\.code) == [.badPath])
    }

    @Test func jsonBodiesEscapeQuotesBackslashesAndControls() {
        var writer = JSONObjectWriter()
        writer.string("a", "q\"b\\s/\n\t\u{01}ü")
        writer.bool("b", true)
        writer.strings("c", ["x", "y"])
        writer.stringLists("d", [("k", ["v"])])
        #expect(writer.finished == #"{"a":"q\"b\\s/\n\t\u0001ü","b":true,"c":["x","y"],"d":{"k":["v"]}}"#)
    }
}

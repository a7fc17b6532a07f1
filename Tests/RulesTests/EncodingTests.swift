import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Testing

@testable import Rules

/// Hostile values in paths, properties and queries: encoded, never interpreted.
struct EncodingTests {
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
            plan.actions.map(\.request.pathAndQuery) == [
                "api/storage/libs-release-local/\(Self.hostilePath)?properties="
                    + "from.source=a%5C%2Cb%5C%3Bc%5C%3Dd%5C%7Ce%5C%5Cf%20g%25%2B%C3%BC;literal=x%5C%2Cy,1%5C%3D1"
                    + "&recursive=0",
                "api/copy/libs-release-local/\(Self.hostilePath)?to=/libs%20qa/%C3%BCn%C3%AF%20%E2%98%83.jar",
                "api/build/promote/team%2F%C3%BCn%C3%AF%20%E2%98%83.jar/1%2F2",
            ])
        #expect(plan.actions[0].subject == "artifact:libs-release-local/dir with space/a,b;c=d|e\\f%g+h/ünï ☃.jar")
        #expect(plan.actions[2].subject == "build:team/ünï ☃.jar#1/2")
        #expect(plan.actions[2].request.body?.contains(#""status":"ünï ☃.jar""#) == true)
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

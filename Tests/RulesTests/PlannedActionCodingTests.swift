import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

/// Planned actions are stored as JSON in job rows: a stable shape that reads back to the same value.
struct PlannedActionCodingTests {
    @Test("snake_case keys in sorted order; no body or content type when there is none")
    func storedShape() {
        let action = PlannedAction(
            rule: "tag", actionIndex: 1, kind: .setProperties, subject: "artifact:libs/a.jar",
            request: ArtifactoryRequest(method: .put, pathAndQuery: "api/storage/libs/a.jar?properties=a=b&recursive=0")
        )
        #expect(
            action.storedJSON
                == #"{"action_index":1,"kind":"set_properties","method":"PUT","#
                + #""path":"api/storage/libs/a.jar?properties=a=b&recursive=0","rule":"tag","subject":"artifact:libs/a.jar"}"#
        )
    }

    @Test("every kind of planned action, and awkward text, reads back to the same request")
    func everyPlannedActionRoundTrips() throws {
        let rules = try RuleSet.compile(try Fixtures.ruleSources("valid"))
        var actions: [PlannedAction] = []
        for name in ["artifact/deployed", "build/uploaded", "docker/pushed", "artifact/deleted"] {
            actions += rules.plan(try Fixtures.event(name), context: Fixtures.context).actions
        }
        actions +=
            try Fixtures.rules(HTTPCallTests.rules).plan(
                try HTTPCallTests.promoted(name: "a"), context: Fixtures.context
            ).actions
        #expect(Set(actions.map(\.kind)) == Set(PlannedAction.Kind.allCases))
        // Spelled-out calls expect no event (the daemon cannot know what they change), nor does an
        // expansion job (its children do); every other action does.
        let spelledOut: Set<PlannedAction.Kind> = [.artifactory, .platform, .http]
        #expect(actions.allSatisfy { $0.effects.isEmpty == (spelledOut.contains($0.kind) || $0.expansion != nil) })
        // Quotes, backslashes, every control character, and non-ASCII text.
        let awkward = "a\"b\\c/d" + String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "é☃︎🚀"
        actions.append(
            PlannedAction(
                rule: awkward, actionIndex: 7, kind: .promoteBuild, subject: "build:\(awkward)#1",
                request: ArtifactoryRequest(
                    method: .post, pathAndQuery: "api/build/promote/x?y=\(awkward)", body: #"{"status":"s\n"}"#,
                    contentType: "application/json")))
        for action in actions {
            // The expected effects are the loop guard's, stored apart.
            var request = action
            request.effects = []
            #expect(try PlannedAction(storedJSON: action.storedJSON) == request)
        }
    }

    @Test("a promotion's body is stored as text, with its content type")
    func promotionBodiesAreStoredAsText() {
        let action = PlannedAction(
            rule: "p", actionIndex: 0, kind: .promoteBuild, subject: "build:a#1",
            request: ArtifactoryRequest(
                method: .post, pathAndQuery: "api/build/promote/a/1", body: #"{"status":"s"}"#,
                contentType: "application/json"))
        #expect(action.storedJSON.contains(#""body":"{\"status\":\"s\"}""#))
        #expect(action.storedJSON.contains(#""content_type":"application/json""#))
    }

    @Test("rows written by JSONEncoder before still read: members in any order, slashes escaped")
    func olderRowsRead() throws {
        let older =
            #"{"rule":"tag","action_index":1,"kind":"copy","subject":"artifact:r\/a.jar","method":"POST","#
            + #""path":"api\/copy\/r\/a.jar?to=\/qa\/a.jar"}"#
        #expect(
            try PlannedAction(storedJSON: older)
                == PlannedAction(
                    rule: "tag", actionIndex: 1, kind: .copy, subject: "artifact:r/a.jar",
                    request: ArtifactoryRequest(method: .post, pathAndQuery: "api/copy/r/a.jar?to=/qa/a.jar")))
    }

    @Test func failuresEncodeTheirCode() throws {
        let failure = Plan.Failure(rule: "r", actionIndex: 2, kind: .copy, code: .badPath, message: "m")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(failure), as: UTF8.self)
        #expect(json == #"{"action_index":2,"code":"bad_path","kind":"copy","message":"m","rule":"r"}"#)
    }

    @Test("a stored request that does not read back names what is wrong")
    func unreadableStoredRequests() {
        let cases: [(String, String)] = [
            ("not json", "not JSON"),
            ("[]", "not a JSON object"),
            (#"{"kind":"copy","method":"POST","path":"p","rule":"r","subject":"s"}"#, #"missing "action_index""#),
            (#"{"action_index":0,"kind":"paint","method":"POST","path":"p","rule":"r","subject":"s"}"#, "unknown kind"),
            (
                #"{"action_index":0,"kind":"copy","method":"HEAD","path":"p","rule":"r","subject":"s"}"#,
                "unknown method"
            ),
            (#"{"action_index":0,"kind":"copy","method":"POST","rule":"r","subject":"s"}"#, #"missing "path""#),
            (
                #"{"action_index":0,"body":1,"kind":"copy","method":"POST","path":"p","rule":"r","subject":"s"}"#,
                #""body" is not a string"#
            ),
        ]
        for (json, reason) in cases {
            #expect {
                try PlannedAction(storedJSON: json)
            } throws: { error in
                (error as? StoredJSONError)?.reason.contains(reason) == true
            }
        }
    }
}

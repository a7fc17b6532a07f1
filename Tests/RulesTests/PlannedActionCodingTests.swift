import Foundation
import Rules
import Testing

/// Planned actions are stored as JSON in job rows: a stable shape that decodes to the same value.
struct PlannedActionCodingTests {
    @Test func encodesWithSnakeCaseKeysAndOmitsAbsentBodies() throws {
        let action = PlannedAction(
            rule: "tag", actionIndex: 1, kind: .setProperties, subject: "artifact:libs/a.jar", method: .put,
            path: "api/storage/libs/a.jar?properties=a=b&recursive=0")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let json = String(decoding: try encoder.encode(action), as: UTF8.self)

        #expect(
            json
                == #"{"action_index":1,"kind":"set_properties","method":"PUT","#
                + #""path":"api/storage/libs/a.jar?properties=a=b&recursive=0","rule":"tag","subject":"artifact:libs/a.jar"}"#
        )
    }

    @Test func everyPlannedActionRoundTrips() throws {
        let rules = try RuleSet.compile(try Fixtures.ruleSources("valid"))
        var actions: [PlannedAction] = []
        for name in ["artifact/deployed", "build/uploaded", "docker/pushed", "artifact/deleted"] {
            actions += rules.plan(try Fixtures.event(name), context: Fixtures.context).actions
        }
        #expect(Set(actions.map(\.kind)) == Set(PlannedAction.Kind.allCases))

        let decoded = try JSONDecoder().decode([PlannedAction].self, from: JSONEncoder().encode(actions))

        // The request round-trips; the expected effects are the loop guard's, stored apart.
        let requests = actions.map { action in
            var request = action
            request.effects = []
            return request
        }
        #expect(decoded == requests)
        #expect(actions.allSatisfy { !$0.effects.isEmpty })
    }

    @Test func promotionBodiesAreStoredAsText() throws {
        let action = PlannedAction(
            rule: "p", actionIndex: 0, kind: .promoteBuild, subject: "build:a#1", method: .post,
            path: "api/build/promote/a/1", body: #"{"status":"s"}"#, contentType: "application/json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let json = String(decoding: try encoder.encode(action), as: UTF8.self)

        #expect(json.contains(#""body":"{\"status\":\"s\"}""#))
        #expect(json.contains(#""content_type":"application/json""#))
    }

    @Test func failuresEncodeTheirCode() throws {
        let failure = Plan.Failure(rule: "r", actionIndex: 2, kind: .copy, code: .badPath, message: "m")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(failure), as: UTF8.self)
        #expect(json == #"{"action_index":2,"code":"bad_path","kind":"copy","message":"m","rule":"r"}"#)
    }
}

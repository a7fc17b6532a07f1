import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

@testable import Rules

/// Filters on `item.*` inside a `for_each`: kept with the stored child action, applied by the
/// worker for each item; every other expression is rendered, filters included, when planning.
struct ForEachFilterTests {
    static let rule = #"""
        rules:
          - name: release-files
            on: build.promoted
            when: { build_number: { matches: '^(?<major>[0-9]+)\.' } }
            do:
              - set_properties:
                  folder: "{{ item.path | dirname | default: \"top\" }}"
                  base: '{{ item.name | strip_suffix: ".jar" | upper }}'
                  line: '{{ data.build_name | upper }}-{{ match.major }}'
                for_each: build_artifacts
        """#

    static let promoted = """
        {"domain":"build","event_type":"promoted","data":{"build_name":"payments","build_number":"4.2"}}
        """

    @Test("item filters survive the stored JSON and apply per item; the rest is rendered at planning")
    func itemFiltersThroughTheStoredJob() throws {
        let plan = try Fixtures.rules(Self.rule).plan(
            try Fixtures.event(json: Self.promoted), context: Fixtures.context)
        #expect(plan.failures == [])
        let stored = try #require(plan.actions.first).storedJSON
        #expect(stored.contains(#"{\"filters\":[[\"dirname\"],[\"default\",\"top\"]],\"item\":\"path\"}"#), "\(stored)")
        #expect(stored.contains(#"[\"PAYMENTS-4\"]"#), "\(stored)")
        let planner = try #require(ChildPlanner(try PlannedAction(storedJSON: stored)))
        let child = try #require(
            try planner.children(for: FoundItem(repo: "libs-a", folder: "com/x", name: "x-1.jar")).first
        ).action
        #expect(
            child.request.pathAndQuery
                == "api/storage/libs-a/com/x/x-1.jar?properties=folder=com%2Fx;base=X-1;line=PAYMENTS-4&recursive=0")
        let atRoot = try #require(
            try planner.children(for: FoundItem(repo: "libs-a", folder: ".", name: "y.jar")).first
        )
        .action
        #expect(
            atRoot.request.pathAndQuery
                == "api/storage/libs-a/y.jar?properties=folder=top;base=Y;line=PAYMENTS-4&recursive=0")
    }

    @Test("a child template stored before filters existed still decodes, as an unfiltered field")
    func oldStoredRowsDecode() throws {
        let json = #"{"kind":"set_properties","properties":[{"key":"f","values":[["v-",{"item":"name"}]]}]}"#
        let child = try JSONDecoder().decode(ChildAction.self, from: Data(json.utf8))
        #expect(child.properties?.first?.values == [[.text("v-"), .item("name", filters: [])]])
        // Written again, an unfiltered field keeps the old form.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(child), as: UTF8.self) == json)
        let spec = try #require(child.spec)
        guard case .setProperties(let properties, _) = spec.operation else {
            Issue.record("not set_properties")
            return
        }
        #expect(properties.first?.values.first?.parts == [.literal("v-"), .expression(.item("name"))])
    }

    @Test("a stored filter this version does not know fails to decode instead of being dropped")
    func unknownStoredFilterIsRefused() throws {
        let json = #"{"kind":"delete","path":[{"item":"path","filters":[["shout"]]}]}"#
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(ChildAction.self, from: Data(json.utf8))
        }
    }
}

import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing
import YAMLDiagnostics

/// `for_each:` with a block of actions under `do:`: one query, and for each found item every
/// action of the block, in order, all or none.
struct ForEachBlockTests {
    static let promoted = """
        {"domain":"build","event_type":"promoted","data":{"build_name":"payments","build_number":"42"}}
        """

    static let blockRule = """
        rules:
          - name: release
            on: build.promoted
            do:
              - for_each: build_artifacts
                max_items: 100
                do:
                  - set_properties: { release.version: "{{ data.build_number }}" }
                  - copy: { to: "libs-release/{{ item.path }}" }
        """

    static func plannedBlock() throws -> PlannedAction {
        let plan = try Fixtures.rules(Self.blockRule).plan(
            try Fixtures.event(json: Self.promoted), context: Fixtures.context)
        #expect(plan.failures.isEmpty, "\(plan.failures)")
        #expect(plan.actions.count == 1)
        return try #require(plan.actions.first)
    }

    @Test("a block plans one expansion job that keeps every action of the block, in order")
    func blockPlansOneExpansion() throws {
        let action = try Self.plannedBlock()
        #expect(action.kind == .forEach)
        #expect(action.subject == "build:payments#42")
        #expect(action.request.path == "api/search/aql")
        #expect(action.expansion?.maxItems == 100)
        #expect(action.expansion?.childKinds == [.setProperties, .copy])
        let stored = try PlannedAction(storedJSON: action.storedJSON)
        #expect(stored == action)
        #expect(action.storedJSON.contains(#"\"actions\":["#))
    }

    @Test("each item plans one child per action, in block order, with keys unique within the expansion")
    func childrenPerItem() throws {
        let planner = try #require(ChildPlanner(try PlannedAction(storedJSON: try Self.plannedBlock().storedJSON)))
        let children = try planner.children(for: FoundItem(repo: "libs-a", folder: "com/x", name: "x.jar"))
        #expect(children.map(\.key) == ["0:libs-a/com/x/x.jar", "1:libs-a/com/x/x.jar"])
        #expect(children.map(\.action.kind) == [.setProperties, .copy])
        #expect(children.allSatisfy { $0.action.subject == "artifact:libs-a/com/x/x.jar" })
        #expect(children.allSatisfy { $0.action.actionIndex == 0 && $0.action.rule == "release" })
        #expect(
            children[0].action.request.pathAndQuery.hasPrefix(
                "api/storage/libs-a/com/x/x.jar?properties=release.version=42"))
        #expect(children[1].action.request.pathAndQuery.hasPrefix("api/copy/libs-a/com/x/x.jar?to=/libs-release/com/x"))
    }

    @Test("an item one action of the block cannot plan for plans none of the block's actions")
    func allOrNothingPerItem() throws {
        let planner = try #require(ChildPlanner(try PlannedAction(storedJSON: try Self.plannedBlock().storedJSON)))
        // The item's folder is ".." (hostile): the copy's target would leave its repository.
        #expect(throws: RulesError.self) {
            try planner.children(for: FoundItem(repo: "libs-a", folder: "..", name: "x.jar"))
        }
    }

    @Test("a stored block with an action that is not an item action plans no child")
    func storedNonItemActionIsRefused() throws {
        let stored = try Self.plannedBlock().storedJSON
        let edited = stored.replacingOccurrences(of: #"\"kind\":\"copy\""#, with: #"\"kind\":\"promote_build\""#)
        #expect(edited != stored)
        #expect(ChildPlanner(try PlannedAction(storedJSON: edited)) == nil)
        let empty = stored.replacingOccurrences(
            of: #"\"actions\":["#, with: #"\"unused\":["#)
        #expect(throws: StoredJSONError.self) { try PlannedAction(storedJSON: empty) }
    }

    @Test("rules test shows the block's actions")
    func reportShowsBlock() throws {
        let rules = try Fixtures.rules(Self.blockRule)
        let event = try Fixtures.event(json: Self.promoted)
        let plan = rules.plan(event, context: Fixtures.context)
        let text = PlanReport(
            event: event, plan: plan, explanations: rules.explain(event, context: Fixtures.context), explain: false,
            baseURL: "http://a/artifactory"
        ).text
        #expect(text.contains("release do[0] for_each set_properties, copy build:payments#42"), "\(text)")
        #expect(text.contains("then for each item found: set_properties, copy (max_items: 100)"), "\(text)")
    }

    @Test("rules check warns of a delete in a block over the event's folder, as of one beside it")
    func deleteInAChildrenBlockWarns() {
        let text = """
            rules:
              - name: clean
                on: artifact.moved
                do:
                  - for_each: { children: true }
                    do:
                      - set_properties: { a: b }
                      - delete: {}
              - name: per-build
                on: build.deleted
                do:
                  - for_each: build_artifacts
                    do:
                      - delete: {}
            """
        let diagnostics = RuleCheck.run([RuleSource(file: "t.yml", text: text)]).diagnostics
        #expect(diagnostics.map(\.line) == [8], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("delete acts on the item of every event") == true)
    }

    @Test("rules check: nesting, an action beside the block, an empty block and non-item actions are errors")
    func checkErrors() throws {
        let text = """
            rules:
              - name: nested
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    do:
                      - delete: {}
                        for_each: { children: true }
              - name: beside
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    delete: {}
                    do:
                      - delete: {}
              - name: empty
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    do: []
              - name: not-item
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    do:
                      - set_properties: { a: "{{ item.name }}" }
                      - promote_build: { status: released }
              - name: unknown-key
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    max_item: 5
                    do:
                      - delete: {}
              - name: fine
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    build_name: other
                    build_number: "1"
                    do:
                      - set_properties: { a: "{{ item.name }}" }
                      - delete: {}
            """
        let check = RuleCheck.run([RuleSource(file: "t.yml", text: text)])
        let errors = check.diagnostics.filter { $0.severity == .error }.map { "\($0.line): \($0.message)" }
        func has(_ line: Int, _ words: String) -> Bool {
            errors.contains { $0.hasPrefix("\(line): ") && $0.contains(words) }
        }
        #expect(has(8, "for_each cannot stand inside a for_each block"), "\(errors)")
        #expect(has(13, "move \"delete\" into that list"), "\(errors)")
        #expect(has(20, "do: takes a non-empty list of item actions"), "\(errors)")
        #expect(has(27, "promote_build acts on no found item"), "\(errors)")
        #expect(has(32, "max_item"), "\(errors)")
        #expect(errors.count == 5, "\(errors)")
    }
}

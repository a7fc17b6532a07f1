import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing
import YAMLDiagnostics

/// `for_each:`: what an event plans (one expansion job with its exact query), what each found
/// item plans (the children), and what `rules check` refuses.
struct ForEachTests {
    static let promoted = """
        {"domain":"build","event_type":"promoted","data":{"build_name":"payments","build_number":"42"}}
        """

    static let releaseRule = """
        rules:
          - name: release-version
            on: build.promoted
            do:
              - set_properties: { release.version: "{{ data.build_number }}", release.file: "{{ item.name }}" }
                for_each: build_artifacts
                max_items: 50
        """

    @Test("build_artifacts plans one expansion job: the build relation query, the build as subject")
    func buildArtifactsPlansOneExpansion() throws {
        let plan = try Fixtures.rules(Self.releaseRule).plan(
            try Fixtures.event(json: Self.promoted), context: Fixtures.context)
        #expect(plan.failures.isEmpty, "\(plan.failures)")
        let action = try #require(plan.actions.first)
        #expect(plan.actions.count == 1)
        #expect(action.subject == "build:payments#42")
        #expect(action.request.method == .post)
        #expect(action.request.path == "api/search/aql")
        #expect(
            action.request.body
                == #"items.find({"artifact.module.build.name":{"$eq":"payments"},"artifact.module.build.number":{"$eq":"42"}})"#
        )
        #expect(action.expansion?.maxItems == 50)
        #expect(action.expansion?.childKinds == [.setProperties])
        #expect(action.kind == .setProperties)
        // Stored and read back, it is the same job: the worker needs nothing else.
        let stored = try PlannedAction(storedJSON: action.storedJSON)
        #expect(stored == action)
    }

    @Test(
        "a hostile build name cannot change the query's shape",
        arguments: [#"x"}},"$or":[{"repo":"secret"}]}) //"#, #"a\"#, #"}"#, #"$or"#, "line\nbreak"])
    func hostileBuildName(_ name: String) throws {
        var data = JSONObjectWriter()
        data.string("build_name", name)
        data.string("build_number", "1")
        let event = try Fixtures.event(
            json: #"{"domain":"build","event_type":"promoted","data":"# + data.finished + "}")
        let plan = try Fixtures.rules(Self.releaseRule).plan(event, context: Fixtures.context)
        let query = try #require(plan.actions.first?.request.body)
        // The criteria parse as JSON with exactly the two build fields, the name intact.
        let text = try AQLText(query)
        let criteria = String(text.find.dropFirst("items.find(".count).dropLast())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(criteria.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["artifact.module.build.name", "artifact.module.build.number"])
        #expect((object["artifact.module.build.name"] as? [String: String])?["$eq"] == name)
        #expect(text.include == nil && text.sort == nil && text.offset == nil && text.limit == nil)
    }

    @Test("an aql query keeps its modifiers; its pages count from its own offset and stop at its limit")
    func aqlQueryAndPages() throws {
        let rules = """
            rules:
              - name: keep-newest-5
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each:
                      aql: 'items.find({"repo":"{{ data.repo_key }}","name":{"$match":"*.jar"}}).sort({"$desc":["created"]}).offset(5).limit(20)'
            """
        let event = try Fixtures.event("artifact/deployed")
        let plan = try Fixtures.rules(rules).plan(event, context: Fixtures.context)
        let query = try #require(plan.actions.first?.request.body)
        #expect(
            query
                == #"items.find({"repo":"libs-release-local","name":{"$match":"*.jar"}}).sort({"$desc":["created"]}).offset(5).limit(20)"#
        )
        #expect(plan.actions.first?.subject == "for_each:event#42")
        let text = try AQLText(query)
        #expect(
            text.page(start: 0, count: 12, fields: ["repo", "path", "name"])
                == #"items.find({"repo":"libs-release-local","name":{"$match":"*.jar"}}).include("repo","path","name").sort({"$desc":["created"]}).offset(5).limit(12)"#
        )
        #expect(text.page(start: 12, count: 12, fields: [])?.hasSuffix(".offset(17).limit(8)") == true)
        #expect(text.page(start: 20, count: 12, fields: []) == nil)
    }

    @Test("children lists the event's folder at any depth, and refuses a folder with wildcards")
    func childrenQuery() throws {
        let rules = """
            rules:
              - name: tag-jars
                on: artifact.moved
                do:
                  - set_properties: { moved: "yes" }
                    for_each: { children: true }
            """
        let moved =
            #"{"domain":"artifact","event_type":"moved","data":{"repo_key":"libs","path":"com/acme","name":"acme"}}"#
        let plan = try Fixtures.rules(rules).plan(try Fixtures.event(json: moved), context: Fixtures.context)
        #expect(
            plan.actions.first?.request.body
                == #"items.find({"repo":{"$eq":"libs"},"$or":[{"path":{"$eq":"com/acme"}},{"path":{"$match":"com/acme/*"}}]})"#
        )
        #expect(plan.actions.first?.subject == "artifact:libs/com/acme")
        let wild = #"{"domain":"artifact","event_type":"moved","data":{"repo_key":"libs","path":"com/*","name":"x"}}"#
        let refused = try Fixtures.rules(rules).plan(try Fixtures.event(json: wild), context: Fixtures.context)
        #expect(refused.actions.isEmpty)
        #expect(refused.failures.first?.code == .badPath)
    }

    @Test("a stored expansion whose child is not an item action plans no child")
    func storedNonItemChildIsRefused() throws {
        let plan = try Fixtures.rules(Self.releaseRule).plan(
            try Fixtures.event(json: Self.promoted), context: Fixtures.context)
        let stored = try #require(plan.actions.first).storedJSON
        #expect(stored.contains(#"\"kind\":\"set_properties\""#))
        // A row edited, or written by another version: the child kind is read as stored.
        for kind in ["promote_build", "artifactory", "platform"] {
            let edited = stored.replacingOccurrences(
                of: #"\"kind\":\"set_properties\""#, with: #"\"kind\":\""# + kind + #"\""#)
            #expect(ChildPlanner(try PlannedAction(storedJSON: edited)) == nil, "\(kind)")
        }
    }

    @Test("each found item plans its child: item fields rendered, the item as the default target")
    func childPlans() throws {
        let plan = try Fixtures.rules(Self.releaseRule).plan(
            try Fixtures.event(json: Self.promoted), context: Fixtures.context)
        let expansion = try PlannedAction(storedJSON: try #require(plan.actions.first).storedJSON)
        let planner = try #require(ChildPlanner(expansion))
        let children = try planner.children(for: FoundItem(repo: "libs-a", folder: "com/x", name: "x 1.jar"))
        #expect(children.map(\.key) == ["libs-a/com/x/x 1.jar"])
        let child = try #require(children.first).action
        #expect(child.subject == "artifact:libs-a/com/x/x 1.jar")
        #expect(child.kind == .setProperties)
        #expect(child.expansion == nil)
        #expect(
            child.request.pathAndQuery
                == "api/storage/libs-a/com/x/x%201.jar?properties=release.version=42;release.file=x%201.jar&recursive=0"
        )
        #expect(child.effects.map(\.subject) == ["artifact:libs-a/com/x/x 1.jar", "artifact:libs-a/com/x/x 1.jar"])
        let atRoot = try #require(
            try planner.children(for: FoundItem(repo: "libs-b", folder: ".", name: "b.jar")).first)
        #expect(atRoot.action.subject == "artifact:libs-b/b.jar")
        // An item whose path would leave its repository plans nothing.
        #expect(throws: RulesError.self) {
            try planner.children(for: FoundItem(repo: "libs-b", folder: "..", name: "b.jar"))
        }
    }

    @Test("rules check: item.* outside a for_each, unknown sources and bad queries are errors at their line")
    func checkErrors() throws {
        let text = """
            rules:
              - name: outside
                on: artifact.deployed
                do:
                  - set_properties: { a: "{{ item.name }}" }
              - name: unknown-source
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each: build_artefacts
              - name: not-find
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each: { aql: 'builds.find({})' }
              - name: unbalanced
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each: { aql: 'items.find({"repo":"x"})' }
              - name: value-outside-string
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each: { aql: 'items.find({"repo":{{ data.repo_key }}})' }
              - name: item-in-query
                on: artifact.deployed
                do:
                  - delete: {}
                    for_each: { aql: 'items.find({"repo":"{{ item.repo }}"})' }
              - name: promote
                on: build.promoted
                do:
                  - promote_build: { status: released }
                    for_each: build_artifacts
            """
        let check = RuleCheck.run([RuleSource(file: "t.yml", text: text)])
        let errors = check.diagnostics.filter { $0.severity == .error }.map { "\($0.line): \($0.message)" }
        func has(_ line: Int, _ words: String) -> Bool {
            errors.contains { $0.hasPrefix("\(line): ") && $0.contains(words) }
        }
        #expect(has(5, "only known inside a for_each"), "\(errors)")
        #expect(has(10, "unknown for_each source \"build_artefacts\"; use build_artifacts"), "\(errors)")
        #expect(has(10, "did you mean \"build_artifacts\"?"), "\(errors)")
        #expect(has(15, "must start with items.find("), "\(errors)")
        #expect(has(25, "must stand inside a quoted JSON string"), "\(errors)")
        #expect(has(30, "only known inside a for_each"), "\(errors)")
        #expect(has(34, "promote_build acts on no found item"), "\(errors)")
        #expect(!errors.contains { $0.hasPrefix("20: ") }, "\(errors)")
        let unbalanced = RuleCheck.run([
            RuleSource(
                file: "u.yml",
                text: """
                    rules:
                      - name: unbalanced
                        on: artifact.deployed
                        do:
                          - delete: {}
                            for_each: { aql: 'items.find({"repo":"x"}' }
                    """)
        ])
        #expect(
            unbalanced.diagnostics.contains { $0.line == 6 && $0.message.contains("unbalanced") },
            "\(unbalanced.diagnostics)")
    }
}

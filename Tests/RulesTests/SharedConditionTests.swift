import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Testing

@testable import Rules

/// Planning evaluates a field test that many rules share once per event (and answers the exact-text
/// tests of one field with one lookup): every rule still gets its own answer, and no answer
/// reaches another event.
struct SharedConditionTests {
    static let yaml = """
        rules:
          - name: jar-a
            on: artifact.deployed
            when: { path: "com/**/*.jar", origin: "https://a.example.com" }
            do: [delete_properties: [a]]
          - name: jar-b
            on: artifact.deployed
            when: { path: "com/**/*.jar", origin: "https://b.example.com" }
            do: [delete_properties: [a]]
          - name: not-jar
            on: artifact.deployed
            when: { not: { path: "com/**/*.jar" } }
            do: [delete_properties: [a]]
          - name: any-origin
            on: artifact.*
            when:
              any: [{ origin: "https://a.example.com" }, { origin: "https://c.example.com" }]
            do: [delete_properties: [a]]
          - name: name-precomposed
            on: artifact.deployed
            when: { name: "\u{E9}.jar" }
            do: [delete_properties: [a]]
          - name: name-decomposed
            on: artifact.deployed
            when: { name: "e\u{301}.jar" }
            do: [delete_properties: [a]]
          - name: name-list
            on: artifact.deployed
            when: { name: ["\u{E9}.jar", x.jar], origin: { not: "https://b.example.com" } }
            do: [delete_properties: [a]]
          - name: values-many
            on: artifact_property.added
            when: { property_values: v2 }
            do: [delete_properties: [a]]
          - name: values-other
            on: artifact_property.added
            when: { property_values: v3, origin: "https://a.example.com" }
            do: [delete_properties: [a]]
          - name: empty-when
            on: artifact.deployed
            do: [delete_properties: [a]]
        """

    static func event(
        kind: String = "artifact.deployed", path: String, origin: String?, values: [String] = []
    ) throws -> WebhookEvent {
        let parts = kind.split(separator: ".")
        let name = String(path.split(separator: "/").last ?? "")
        let origin = origin.map { #","jpd_origin":"\#($0)""# } ?? ""
        let property =
            values.isEmpty
            ? "" : #","property_key":"k","property_values":[\#(values.map { "\"\($0)\"" }.joined(separator: ","))]"#
        return try Fixtures.event(
            json: #"""
                {"domain":"\#(parts[0])","event_type":"\#(parts[1])"\#(origin),
                 "data":{"repo_key":"r","path":"\#(path)","name":"\#(name)"\#(property)}}
                """#)
    }

    static let cases: [(event: @Sendable () throws -> WebhookEvent, expected: [String])] = [
        ({ try event(path: "com/x/a.jar", origin: "https://a.example.com") }, ["jar-a", "any-origin", "empty-when"]),
        ({ try event(path: "com/x/a.jar", origin: "https://b.example.com") }, ["jar-b", "empty-when"]),
        ({ try event(path: "org/a.jar", origin: "https://c.example.com") }, ["not-jar", "any-origin", "empty-when"]),
        ({ try event(path: "com/a.jar", origin: nil) }, ["empty-when"]),
        (
            { try event(path: "p/\u{E9}.jar", origin: "https://a.example.com") },
            ["not-jar", "any-origin", "name-precomposed", "name-list", "empty-when"]
        ),
        (
            { try event(path: "p/e\u{301}.jar", origin: "https://b.example.com") },
            ["not-jar", "name-decomposed", "empty-when"]
        ),
        (
            {
                try event(
                    kind: "artifact_property.added", path: "a", origin: "https://a.example.com", values: ["v1", "v3"])
            },
            ["values-other"]
        ),
        (
            {
                try event(
                    kind: "artifact_property.added", path: "a", origin: "https://c.example.com", values: ["v2", "v3"])
            },
            ["values-many"]
        ),
    ]

    /// Each event planned alone, then all of them in turn against one rule set, forwards and
    /// backwards: the same rules, and the same as explaining each rule on its own.
    @Test func sharedTestsGiveEachRuleItsOwnAnswerAndNeverLeakBetweenEvents() throws {
        let rules = try Fixtures.rules(Self.yaml)
        let events = try Self.cases.map { try $0.event() }
        for order in [Array(events.indices), events.indices.reversed(), Array(events.indices) + events.indices] {
            for index in order {
                let plan = rules.plan(events[index], context: Fixtures.context)
                #expect(plan.matchedRules == Self.cases[index].expected, "event \(index)")
                let explained = rules.explain(events[index], context: Fixtures.context).filter(\.matched).map(\.rule)
                #expect(plan.matchedRules == explained, "event \(index)")
            }
        }
    }

    /// The same test written in several rules is stored once; exact texts of one field share a group.
    @Test func identicalTestsAreStoredOnce() throws {
        let rules = try Fixtures.rules(Self.yaml)
        let program = ConditionProgram(rules.rules.map(\.condition))
        let keys = program.tests.map(\.key)
        #expect(Set(keys).count == keys.count)
        // path glob, origin a/b/c, not-origin b, names (2 exact + 1 list), property values v2 and v3.
        #expect(program.tests.count == 10)
    }

    /// The event's own item is resolved once per plan and shared by every rule's actions; an action
    /// that names its own repository still gets its own item.
    @Test func ownItemIsSharedAndANamedItemIsNot() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: one
                on: artifact.deployed
                do: [delete_properties: [a], delete: {}]
              - name: two
                on: artifact.deployed
                do:
                  - copy: { to: "other/{{ data.path }}" }
                  - delete: {}
                    repo: elsewhere
                  - delete: {}
            """)
        let event = try Self.event(path: "com/a b.jar", origin: nil)
        for _ in 0..<2 {
            let plan = rules.plan(event, context: Fixtures.context)
            #expect(
                plan.actions.map(\.subject) == [
                    "artifact:r/com/a b.jar", "artifact:r/com/a b.jar", "artifact:r/com/a b.jar",
                    "artifact:elsewhere/com/a b.jar", "artifact:r/com/a b.jar",
                ])
            #expect(
                plan.actions.map(\.request.pathAndQuery) == [
                    "api/storage/r/com/a%20b.jar?properties=a&recursive=0", "r/com/a%20b.jar",
                    "api/copy/r/com/a%20b.jar?to=/other/com/a%20b.jar", "elsewhere/com/a%20b.jar", "r/com/a%20b.jar",
                ])
        }
    }

    /// A `to:` that does not name the rule is computed once per plan and shared; one that names
    /// the rule is the rule's own; nothing reaches the next event.
    @Test func destinationsAreSharedOnlyWhenTheyDoNotNameTheRule() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: a
                on: artifact.deployed
                do: [copy: { to: "qa/{{ data.path }}" }]
              - name: b
                on: artifact.deployed
                do: [copy: { to: "qa/{{ data.path }}" }]
              - name: c
                on: artifact.deployed
                do: [copy: { to: "qa-{{ rule.name }}/{{ data.path }}" }]
              - name: d
                on: artifact.deployed
                do: [move: { to: "qa/{{ data.path }}" }]
            """)
        for path in ["com/a.jar", "org/b.jar", "com/a.jar"] {
            let plan = rules.plan(try Self.event(path: path, origin: nil), context: Fixtures.context)
            #expect(
                plan.actions.map(\.request.pathAndQuery) == [
                    "api/copy/r/\(path)?to=/qa/\(path)", "api/copy/r/\(path)?to=/qa/\(path)",
                    "api/copy/r/\(path)?to=/qa-c/\(path)", "api/move/r/\(path)?to=/qa/\(path)",
                ])
            #expect(
                plan.actions.map { $0.effects[1].subject }
                    == ["qa", "qa", "qa-c", "qa"].map { "artifact:\($0)/\(path)" })
        }
    }
}

extension SharedConditionTests {
    /// A list holds when one of its elements holds, each judged on all of a field's values: so a
    /// `{not: X}` written alone in a list means what it means outside one, on many values and none.
    @Test("[{not: X}] is {not: X}, on a field with several values and on an absent field")
    func negationInAList() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: not-alone
                on: artifact_property.added
                when: { property_values: { not: b } }
                do: [delete_properties: [a]]
              - name: not-in-list
                on: artifact_property.added
                when: { property_values: [{ not: b }] }
                do: [delete_properties: [a]]
              - name: not-or-value
                on: artifact_property.added
                when: { property_values: [{ not: b }, c] }
                do: [delete_properties: [a]]
            """)
        let cases: [(values: [String], expected: [String])] = [
            (["b", "c"], ["not-or-value"]),
            (["a", "c"], ["not-alone", "not-in-list", "not-or-value"]),
            (["b"], []),
            ([], ["not-alone", "not-in-list", "not-or-value"]),
        ]
        for (values, expected) in cases {
            let event = try Self.event(kind: "artifact_property.added", path: "a", origin: nil, values: values)
            #expect(rules.plan(event, context: Fixtures.context).matchedRules == expected, "values \(values)")
            let explained = rules.explain(event, context: Fixtures.context).filter(\.matched).map(\.rule)
            #expect(explained == expected, "values \(values)")
        }
    }
}

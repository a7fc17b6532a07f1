import ArtifactoryEvents
import Foundation
import Testing
import YAMLDiagnostics

@testable import Rules

/// `rules check` says what a `when:` really does (``ConditionJudge``): every verdict it gives is
/// what planning does with the kind's fixture event, and each decided `when:` is reported.
struct ConditionVerdictTests {
    /// Every kind the catalog knows, as `DOMAIN/EVENT_TYPE` of its fixture event.
    static let kinds: [EventKind] = EventDomain.known.flatMap { EventCatalog.kinds(of: $0) }

    /// The value of `field` in `event` when it has exactly one, YAML-quoted.
    static func quotedValue(of field: EventField, in event: WebhookEvent) -> String? {
        guard case .one(let value) = field.values(in: EventView(event)) else { return nil }
        let data = try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
        return data.flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The `when:` blocks tried on every kind: for each field, tests of a value it never has and of
    /// the value the fixture event has, alone, negated, against their opposite and in `any:`.
    static func blocks(for event: WebhookEvent) -> [String] {
        let catalogData = Set(EventCatalog.kinds.values.flatMap { $0.values.flatMap { $0 } }).sorted()
        let fields = EventField.named.map(\.field) + (catalogData + ["not_sent"]).map { EventField.data([$0]) }
        var blocks: [String] = []
        for field in fields {
            var values = ["\"zz-none\""]
            if let actual = quotedValue(of: field, in: event) { values.append(actual) }
            for value in values {
                let test = "\(field): \(value)"
                blocks += [
                    "{ \(test) }", "{ not: { \(test) } }", "{ \(field): { not: \(value) } }",
                    "{ \(test), not: { \(test) } }", "{ any: [{ \(test) }, { not: { \(test) } }] }",
                    "{ any: [{ \(test) }, { origin: \"zz-none\" }] }",
                    "{ any: [{ not: { \(test) } }, { origin: zz }] }",
                    "{ \(field): [\(value), \"zz-other\"], any: [{ \(test) }, { \(field): \"zz-third\" }] }",
                ]
            }
        }
        blocks.append("{ repo: a, any: [{ repo: b }, { repo: [c, d] }] }")
        return blocks
    }

    @Test(
        "every always/never verdict is what planning does with the kind's fixture event",
        arguments: kinds)
    func verdictsAgreeWithPlanning(_ kind: EventKind) throws {
        // Given one rule per block, compiled whatever the check says of it
        let event = try Fixtures.event("\(kind.domain.rawValue)/\(kind.eventType)")
        let blocks = Self.blocks(for: event)
        let yaml =
            "rules:\n"
            + blocks.enumerated().map { index, block in
                """
                  - name: r\(index)
                    on: \(kind)
                    when: \(block)
                    do: [{ delete_properties: [a], repo: r, path: p }]

                """
            }.joined()
        let outcome = RuleSetCompiler.compile([RuleSource(file: "t.yml", text: yaml)])
        #expect(outcome.rules.count == blocks.count)
        let ruleSet = RuleSet(rules: outcome.rules, files: ["t.yml"], warnings: [])
        let judge = try #require(ConditionJudge(kind: kind))

        // When
        let matched = Set(ruleSet.plan(event, context: Fixtures.context).matchedRules)

        // Then
        var decided = (always: 0, never: 0)
        for (rule, block) in zip(outcome.rules, blocks) {
            let verdict = judge.verdict(rule.condition, at: "when")
            switch verdict.answer {
            case .always:
                decided.always += 1
                #expect(matched.contains(rule.name), "\(kind) \(block): \(verdict.reason)")
            case .never:
                decided.never += 1
                #expect(!matched.contains(rule.name), "\(kind) \(block): \(verdict.reason)")
            case .depends:
                break
            }
        }
        #expect(decided.always >= 10 && decided.never >= 10, "\(decided)")
    }

    @Test("the rules always-holds.yml flags take every fixture event of their kinds; never-holds.yml's take none")
    func errorFixturesDoWhatTheirErrorsSay() throws {
        for (file, takesAll) in [("always-holds", true), ("never-holds", false)] {
            let outcome = RuleSetCompiler.compile(try Fixtures.ruleSources("invalid/\(file).yml"))
            #expect(outcome.diagnostics.contains { $0.severity == .error })
            let ruleSet = RuleSet(rules: outcome.rules, files: [], warnings: [])
            var tried = 0
            for rule in outcome.rules {
                for kind in Self.kinds where rule.selects(kind) {
                    let event = try Fixtures.event("\(kind.domain.rawValue)/\(kind.eventType)")
                    let matched = ruleSet.plan(event, context: Fixtures.context).matchedRules.contains(rule.name)
                    #expect(matched == takesAll, "\(file): \(rule.name) on \(kind)")
                    tried += 1
                }
            }
            #expect(tried > outcome.rules.count, "\(file)")
        }
    }

    @Test("fields a kind carries are never decided by their absence; the evaluator is the judge")
    func carriedFieldsDepend() throws {
        let judge = try #require(ConditionJudge(kind: EventKind(domain: .artifact, eventType: "deployed")))
        let rules = RuleSetCompiler.compile([
            RuleSource(
                file: "t.yml",
                text: """
                    rules:
                      - name: a
                        on: artifact.deployed
                        when: { repo: x, not: { path: "**" }, data.size: { min: 1 } }
                        do: [delete: {}]
                    """)
        ]).rules
        #expect(judge.verdict(try #require(rules.first).condition, at: "when") == .depends)
    }

    @Test("a decided when: is an error naming the kinds and why; a part decided is a warning")
    func messagesSayWhichEventsTheRuleTakes() {
        let check = RuleCheck.run([
            RuleSource(
                file: "t.yml",
                text: """
                    rules:
                      - name: every
                        on: [artifact.deployed, artifact.deleted]
                        when: { not: { build_name: nightly } }
                        do: [delete_properties: [a]]
                      - name: some
                        on: [artifact.deployed, docker.pushed]
                        when: { not: { tag: latest } }
                        do: [delete_properties: [a]]
                    """)
        ])
        #expect(
            check.diagnostics.map(\.description) == [
                "t.yml:4:11: error: rules[0].when: this rule would take every artifact.deployed, artifact.deleted "
                    + "event, because these events carry no build_name (when.not.build_name), so not: (when.not) "
                    + "holds for all of them",
                "t.yml:8:11: warning: rules[1].when: this rule would take every artifact.deployed event, because "
                    + "these events carry no tag (when.not.tag), so not: (when.not) holds for all of them",
            ])
    }
}

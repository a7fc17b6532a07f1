import ArtifactoryEvents
import Foundation
import Rules
import Testing

/// The index (by kind, `DOMAIN.*` and literal repository) never changes what matches: planning
/// through it agrees with explaining every rule without it.
struct IndexTests {
    static let yaml = """
        rules:
          - name: any-domain-first
            on: artifact.*
            do: [delete_properties: [a]]
          - name: repo-a
            on: artifact.deployed
            when: { repo: a }
            do: [delete_properties: [a]]
          - name: repo-a-or-b
            on: artifact.deployed
            when: { repo: [a, b] }
            do: [delete_properties: [a]]
          - name: repo-glob
            on: artifact.deployed
            when: { repo: "a*" }
            do: [delete_properties: [a]]
          - name: domain-repo-b
            on: artifact.*
            when: { repo: b }
            do: [delete_properties: [a]]
          - name: repo-in-any
            on: artifact.deployed
            when:
              any: [{ repo: c }, { name: x.jar }]
            do: [delete_properties: [a]]
          - name: kind-and-domain
            on: [artifact.deployed, artifact.*]
            when: { repo: a }
            do: [delete_properties: [a]]
          - name: docker-only
            on: docker.pushed
            when: { repo: a }
            do: [delete_properties: [a]]
          - name: mixed-list
            on: artifact.*
            when: { repo: [b, "c*"] }
            do: [delete_properties: [a]]
          - name: unicode-prefix
            on: artifact.deployed
            when: { repo: "ü*" }
            do: [delete_properties: [a]]
        """

    static func event(kind: String = "artifact.deployed", repo: String, name: String = "n.jar") throws -> WebhookEvent {
        let parts = kind.split(separator: ".")
        return try Fixtures.event(
            json:
                #"{"domain":"\#(parts[0])","event_type":"\#(parts[1])","data":{"repo_key":"\#(repo)","path":"p/\#(name)","name":"\#(name)"}}"#
        )
    }

    @Test(arguments: [
        ("artifact.deployed", "a", ["any-domain-first", "repo-a", "repo-a-or-b", "repo-glob", "kind-and-domain"]),
        ("artifact.deployed", "b", ["any-domain-first", "repo-a-or-b", "domain-repo-b", "mixed-list"]),
        ("artifact.deployed", "ab", ["any-domain-first", "repo-glob"]),
        ("artifact.deployed", "c", ["any-domain-first", "repo-in-any", "mixed-list"]),
        ("artifact.deployed", "cd", ["any-domain-first", "mixed-list"]),
        ("artifact.deployed", "üx", ["any-domain-first", "unicode-prefix"]),
        ("artifact.deployed", "u", ["any-domain-first"]),
        ("artifact.deleted", "a", ["any-domain-first", "kind-and-domain"]),
        ("artifact.deleted", "b", ["any-domain-first", "domain-repo-b", "mixed-list"]),
        ("docker.pushed", "a", ["docker-only"]),
        ("docker.pushed", "b", []),
        ("build.uploaded", "a", []),
    ])
    func matchesOnlyTheIndexedRepoAndKeepsRuleOrder(kind: String, repo: String, expected: [String]) throws {
        let rules = try Fixtures.rules(Self.yaml)
        let event = try Self.event(kind: kind, repo: repo)

        let plan = rules.plan(event, context: Fixtures.context)

        #expect(plan.matchedRules == expected)
        #expect(plan.actions.map(\.rule) == expected)
        #expect(rules.explain(event, context: Fixtures.context).filter(\.matched).map(\.rule) == expected)
    }

    /// Every fixture event's name, and every valid rule file, the shipped examples and a large
    /// generated set.
    static func everyFixtureAndRuleSet() throws -> (events: [String], ruleSets: [RuleSet]) {
        let events = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.path("fixtures/events"))
            .filter { $0.hasSuffix(".json") }.sorted()
        let ruleSets = [
            try RuleSet.load(directory: Fixtures.path("rules")),
            try RuleSet.compile(try Fixtures.ruleSources("valid")),
            try Fixtures.rules(Self.yaml),
            try RuleSet.compile([RuleSource(file: "generated.yml", text: Self.generated(count: 300))]),
        ]
        return (events, ruleSets)
    }

    /// Every fixture event against every valid rule file, the shipped examples and a large
    /// generated set: the indexed plan and the unindexed explanation agree.
    @Test func indexAgreesWithExplainOnEveryFixture() throws {
        let (events, ruleSets) = try Self.everyFixtureAndRuleSet()
        #expect(events.count > 40)
        var matchedSomewhere = 0
        for name in events {
            let event = try Fixtures.event(String(name.dropLast(5)))
            for ruleSet in ruleSets {
                let planned = ruleSet.plan(event, context: Fixtures.context).matchedRules
                let explained = ruleSet.explain(event, context: Fixtures.context).filter(\.matched).map(\.rule)
                #expect(planned == explained, "\(name)")
                matchedSomewhere += planned.count
            }
        }
        #expect(matchedSomewhere > 50)
    }

    /// The daemon finds the matching rules before the insert's transaction and plans with them
    /// inside it: for every fixture, rule set and loop-guard context, that is the same plan.
    @Test func planningWithRulesFoundBeforeIsTheSamePlan() throws {
        let (events, ruleSets) = try Self.everyFixtureAndRuleSet()
        let contexts = [
            Fixtures.context, PlanContext(eventID: 7, now: Fixtures.now, selfCaused: true, hop: 1),
            PlanContext(eventID: 7, now: Fixtures.now, selfCaused: true, hop: 3),
        ]
        var actions = 0
        for name in events {
            let event = try Fixtures.event(String(name.dropLast(5)))
            for ruleSet in ruleSets {
                let found = ruleSet.matching(event)
                for context in contexts {
                    let plan = ruleSet.plan(event, matching: found, context: context)
                    #expect(plan == ruleSet.plan(event, context: context), "\(name)")
                    actions += plan.actions.count
                }
            }
        }
        #expect(actions > 50)
        #expect(try Fixtures.rules(Self.yaml).matching(try Fixtures.event("artifact/deployed")) != .none)
    }

    /// A rule set with literal repos, repo lists, globs, domain wildcards and no-repo rules.
    static func generated(count: Int) -> String {
        // A repository test on a build kind never holds (an error alone): build rules also take
        // artifact.deployed, so the index still meets repository-keyed rules of a kind without repos.
        let kinds = [
            "artifact.deployed", "artifact.*", "docker.pushed", "[build.uploaded, artifact.deployed]",
            "artifact_property.added",
        ]
        let repos = ["libs-release-local", "docker-local", "libs-staging-local", "other"]
        var text = "rules:\n"
        for index in 0..<count {
            text += "  - name: g\(index)\n    on: \(kinds[index % kinds.count])\n"
            switch index % 4 {
            case 0: text += "    when: { repo: \(repos[index % repos.count]) }\n"
            case 1: text += "    when: { repo: [\(repos[index % repos.count]), \(repos[(index + 1) % repos.count])] }\n"
            case 2: text += "    when: { repo: \"libs-*\", path: \"com/**\" }\n"
            default: text += "    when: { any: [{ repo: other }, { name: { matches: \"\\\\.jar$\" } }] }\n"
            }
            let kind = kinds[index % kinds.count]
            text +=
                kind.contains("build")
                ? "    do: [promote_build: { status: s }]\n" : "    do: [delete_properties: [k]]\n"
        }
        return text
    }
}

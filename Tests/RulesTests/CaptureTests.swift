import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

@testable import Rules

/// `{{ match.NAME }}`: the named groups of a rule's `matches:` conditions, through planning.
struct CaptureTests {
    static let versionRule = #"""
        rules:
          - name: tag-folder
            on: artifact.deployed
            when: { name: { matches: '^app-(?<version>[0-9.]+)\.jar$' } }
            do:
              - set_properties: { release: "{{ match.version }}", file: '{{ data.name | strip_suffix: ".jar" }}' }
                path: "{{ data.path | dirname }}"
        """#

    @Test("a named group of when: renders in the rule's actions, beside filters")
    func capturesRender() throws {
        let plan = try Fixtures.rules(Self.versionRule).plan(
            try FilterTests.deploy("libs/com/acme/app/1.0/app-1.0.jar"), context: Fixtures.context)
        #expect(plan.failures == [])
        #expect(
            plan.actions.map(\.request.pathAndQuery) == [
                "api/storage/libs-release-local/libs/com/acme/app/1.0?properties=release=1.0;file=app-1.0&recursive=0"
            ])
        // An event the pattern does not take is not planned at all.
        let other = try Fixtures.rules(Self.versionRule).plan(
            try FilterTests.deploy("libs/app.jar"), context: Fixtures.context)
        #expect(other.matchedRules == [])
    }

    @Test("rules test shows the values filters and captures render")
    func reportShowsRenderedValues() throws {
        let rules = try Fixtures.rules(Self.versionRule)
        let event = try FilterTests.deploy("libs/com/acme/app/1.0/app-1.0.jar")
        let report = PlanReport(
            event: event, plan: rules.plan(event, context: Fixtures.context),
            explanations: rules.explain(event, context: Fixtures.context), explain: false,
            baseURL: "https://a.example/artifactory")
        #expect(
            report.text.contains(
                "     PUT https://a.example/artifactory/api/storage/libs-release-local/libs/com/acme/app/1.0"
                    + "?properties=release=1.0;file=app-1.0&recursive=0\n"), "\(report.text)")
    }

    @Test("only the any: block that holds gives captures; a name it lacks fails the plan")
    func capturesFromTheBlockThatHolds() throws {
        let rules = try Fixtures.rules(
            #"""
            rules:
              - name: either
                on: artifact.deployed
                when:
                  any:
                    - { name: { matches: '^app-(?<version>[0-9.]+)\.jar$' } }
                    - { name: { matches: '^lib-(?<flavour>[a-z]+)\.jar$' }, path: { matches: '(?<version>[0-9]+)/' } }
                    - { name: { matches: '^(?<other>tool)\.jar$' } }
                do:
                  - set_properties: { v: "{{ match.version }}" }
            """#)
        func plan(_ path: String) throws -> Plan { rules.plan(try FilterTests.deploy(path), context: Fixtures.context) }
        #expect(try plan("a/app-2.0.jar").actions.first?.request.pathAndQuery.contains("v=2.0") == true)
        #expect(try plan("a/7/lib-x.jar").actions.first?.request.pathAndQuery.contains("v=7") == true)
        let failed = try plan("a/tool.jar")
        #expect(failed.actions == [])
        #expect(failed.failures.map(\.code) == [.missingField])
        #expect(
            failed.failures.map(\.message) == [
                "match.version: no matches: condition of the rule captured (?<version>…) for this event"
            ])
    }

    @Test("the first test written that captures a name wins; a list takes the element that holds")
    func firstCaptureWins() throws {
        let rules = try Fixtures.rules(
            #"""
            rules:
              - name: both
                on: artifact.deployed
                when:
                  path: { matches: '^(?<top>[a-z]+)/' }
                  name: [{ matches: '^x-(?<top>[a-z]+)' }, { matches: '^(?<kind>[a-z]+)-(?<top>[a-z]+)' }]
                do:
                  - set_properties: { t: "{{ match.top }}", k: "{{ match.kind }}" }
            """#)
        let plan = rules.plan(try FilterTests.deploy("first/lib-second.jar"), context: Fixtures.context)
        #expect(plan.failures == [])
        #expect(plan.actions.first?.request.pathAndQuery.contains("properties=t=first;k=lib&") == true)
    }

    @Test("a to: that names a capture is rendered per rule, never shared between rules")
    func destinationsWithCapturesAreNotShared() throws {
        let rules = try Fixtures.rules(
            #"""
            rules:
              - name: by-name
                on: artifact.deployed
                when: { name: { matches: '^(?<v>[a-z]+)' } }
                do:
                  - copy: { to: "libs-qa-local/{{ match.v }}/x" }
              - name: by-path
                on: artifact.deployed
                when: { path: { matches: '^(?<v>[a-z]+)' } }
                do:
                  - copy: { to: "libs-qa-local/{{ match.v }}/x" }
            """#)
        let plan = rules.plan(try FilterTests.deploy("folder/name.jar"), context: Fixtures.context)
        #expect(plan.failures == [])
        #expect(
            plan.actions.map(\.request.pathAndQuery) == [
                "api/copy/libs-release-local/folder/name.jar?to=/libs-qa-local/name/x",
                "api/copy/libs-release-local/folder/name.jar?to=/libs-qa-local/folder/x",
            ])
    }

    @Test("captures are taken only for rules whose actions name one")
    func onlyRulesThatUseCapturesTakeThem() throws {
        let rules = try Fixtures.rules(
            #"""
            rules:
              - name: uses
                on: artifact.deployed
                when: { name: { matches: '^(?<v>[a-z]+)' } }
                do:
                  - set_properties: { v: "{{ match.v }}" }
              - name: ignores
                on: artifact.deployed
                when: { name: { matches: '^(?<v>[a-z]+)' } }
                do:
                  - set_properties: { v: "{{ data.name }}" }
            """#)
        #expect(rules.rules.map(\.usesCaptures) == [true, false])
    }

    @Test(arguments: [
        (#"^app-(?<version>[0-9.]+)\.jar$"#, ["version"]),
        (#"(?<a>x)(?<b2>y)(z)"#, ["a", "b2"]),
        (#"\(?<no>x\)"#, []),
        (#"[(?<no>]x"#, []),
        (#"(?<=a)b(?<!c)(?<yes>d)"#, ["yes"]),
        (#"^release-\d+$"#, []),
    ])
    func captureNamesOfPatterns(pattern: String, names: [String]) throws {
        #expect(try RegexPattern(pattern).captureNames == names)
    }

    @Test("a group that takes no part in the match captures nothing")
    func optionalGroups() throws {
        let regex = try RegexPattern(#"^a(?<b>b)?(?<c>c*)$"#)
        #expect(regex.captures(in: "ab") == ["b": "b"])
        #expect(regex.captures(in: "acc") == ["c": "cc"])
        #expect(regex.captures(in: "x") == nil)
    }
}

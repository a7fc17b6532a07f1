import ArtifactoryEvents
import Foundation
import Rules
import Testing
import YAMLDiagnostics

/// `defaults: { when: … }` at the top of a rule file: every rule of the file adds it to its own
/// `when:`, so a condition such as "only our production Artifactory" is written once.
struct SharedDefaultsTests {
    static let file = """
        defaults:
          when:
            origin: https://art.prod.acme.com
        rules:
          - name: tag-release
            on: artifact.deployed
            when: { repo: libs-release-local }
            do:
              - set_properties: { qa.status: pending }
          - name: tag-any
            on: artifact.deployed
            do:
              - set_properties: { seen: "yes" }
        """

    static func deployed(origin: String, repo: String = "libs-release-local") throws -> WebhookEvent {
        var data = JSONObjectWriter()
        data.string("repo_key", repo)
        data.string("path", "com/a.jar")
        data.string("name", "a.jar")
        var envelope = JSONObjectWriter()
        envelope.string("jpd_origin", origin)
        // {"domain":…,"event_type":…,"data":{…},"jpd_origin":"…"}
        return try Fixtures.event(
            json: #"{"domain":"artifact","event_type":"deployed","data":"# + data.finished + ","
                + envelope.finished.dropFirst())
    }

    @Test("every rule of the file takes only events that meet the defaults and its own when:")
    func defaultsApplyToEveryRule() throws {
        let rules = try Fixtures.rules(Self.file)
        let production = rules.plan(try Self.deployed(origin: "https://art.prod.acme.com"), context: Fixtures.context)
        #expect(production.matchedRules == ["tag-release", "tag-any"])
        let otherRepo = rules.plan(
            try Self.deployed(origin: "https://art.prod.acme.com", repo: "libs-snapshot-local"),
            context: Fixtures.context)
        #expect(otherRepo.matchedRules == ["tag-any"])
        let staging = try Self.deployed(origin: "https://art.staging.acme.com")
        #expect(rules.plan(staging, context: Fixtures.context).matchedRules.isEmpty)
        // The explanation names the shared condition where it is written.
        let reasons = rules.explain(staging, context: Fixtures.context).compactMap(\.reason)
        #expect(reasons.count == 2)
        #expect(reasons.allSatisfy { $0.hasPrefix("defaults.when.origin:") }, "\(reasons)")
    }

    @Test("a file without defaults is read as before; rules in other files do not take them")
    func defaultsStayInTheirFile() throws {
        let other = """
            rules:
              - name: elsewhere
                on: artifact.deployed
                do:
                  - set_properties: { other: "yes" }
            """
        let rules = try RuleSet.compile([
            RuleSource(file: "a.yml", text: Self.file), RuleSource(file: "b.yml", text: other),
        ])
        let staging = rules.plan(try Self.deployed(origin: "https://art.staging.acme.com"), context: Fixtures.context)
        #expect(staging.matchedRules == ["elsewhere"])
    }

    @Test("a repo: in the defaults counts for the delete and move warning")
    func defaultsRepoReachesDelete() {
        let text = """
            defaults:
              when: { repo: "libs-*-local" }
            rules:
              - name: prune
                on: artifact.deployed
                do:
                  - delete: {}
            """
        let without = text.replacingOccurrences(of: "defaults:\n  when: { repo: \"libs-*-local\" }\n", with: "")
        func warnings(_ text: String) -> [String] {
            RuleCheck.run([RuleSource(file: "d.yml", text: text)]).diagnostics.map(\.message)
        }
        #expect(warnings(text).isEmpty, "\(warnings(text))")
        #expect(warnings(without).contains { $0.contains("delete acts on the item of every event") })
    }

    @Test("rules check: defaults without when:, an unknown key, and a field a rule's events lack, once")
    func checkErrors() {
        func errors(_ text: String) -> [String] {
            RuleCheck.run([RuleSource(file: "d.yml", text: text)]).diagnostics.map { "\($0.line): \($0.message)" }
        }
        let missing = errors(
            """
            defaults: { on_self_caused: true }
            rules:
              - name: a
                on: artifact.deployed
                do:
                  - delete: {}
            """)
        #expect(missing.contains { $0.hasPrefix("1: ") && $0.contains("on_self_caused") }, "\(missing)")
        #expect(
            missing.contains { $0.hasPrefix("1: ") && $0.contains("needs when: with the conditions") }, "\(missing)")
        let lacking = errors(
            """
            defaults:
              when: { build_name: payments }
            rules:
              - name: a
                on: artifact.deployed
                do:
                  - set_properties: { seen: "yes" }
              - name: b
                on: artifact.deleted
                do:
                  - set_properties: { seen: "yes" }
            """)
        // Reported at the shared condition, once per distinct message.
        #expect(lacking.allSatisfy { $0.hasPrefix("2: ") }, "\(lacking)")
        #expect(!lacking.isEmpty)
        #expect(Set(lacking).count == lacking.count, "\(lacking)")
    }
}

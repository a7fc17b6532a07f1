import Rules
import Testing

/// What the rules' actions need on Artifactory, as `doctor` reads it from the rule set.
struct RequiredPermissionTests {
    static func needs(_ text: String) throws -> [String] {
        let rules = try RuleSet.compile([RuleSource(file: "r.yml", text: text)])
        return rules.requiredPermissions.map { "\($0.rule):\($0.line) \($0.action.rawValue) \($0.scope)" }
    }

    @Test("each action kind needs its permissions, on the literal repositories the rule names")
    func kinds() throws {
        let needs = try Self.needs(
            """
            rules:
              - name: tag
                on: artifact.deployed
                when: { repo: libs-release-local }
                do:
                  - set_properties: { a: b }
                  - copy: { to: "libs-prod-local/{{ data.path }}" }
              - name: tidy
                on: artifact.deployed
                when: { repo: "libs-*" }
                do:
                  - move: { to: "{{ data.repo_key }}-archive/{{ data.path }}" }
                  - delete: {}
                    repo: scratch-local
              - name: off
                enabled: false
                on: artifact.deployed
                do:
                  - delete: {}
            """)
        #expect(
            needs == [
                "tag:2 read libs-release-local", "tag:2 annotate libs-release-local", "tag:2 write libs-prod-local",
                "tidy:8 read libs-*", "tidy:8 delete libs-*", "tidy:8 write any repository",
                "tidy:8 read scratch-local", "tidy:8 delete scratch-local",
            ])
    }

    @Test("a rule without a literal repository needs the action on any repository; http calls need none")
    func unrestricted() throws {
        let needs = try Self.needs(
            """
            rules:
              - name: any
                on: artifact.deployed
                do:
                  - delete_properties: [a]
            """)
        #expect(needs == ["any:2 read any repository", "any:2 annotate any repository"])
    }
}

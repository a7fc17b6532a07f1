import ArtifactoryEvents
import ArtifactoryRequests
import Testing

@testable import Rules

/// Repository keys from events and templates are checked before any item request is planned, so
/// no item action can reach the paths Artifactory serves at its root (`api/…`, `ui/…`).
struct RepositoryKeyTests {
    /// Every item action, acting on the event's own item.
    static let itemRules = """
        rules:
          - name: every-item-action
            on: artifact.deployed
            do:
              - set_properties: { qa: done }
              - delete_properties: [qa]
              - copy: { to: "libs-qa-local/{{ data.path }}" }
              - move: { to: "libs-qa-local/{{ data.path }}" }
              - delete: {}
        """

    static func deployed(repo: String, path: String = "repositories/libs-qa-local", name: String = "a.jar")
        throws -> WebhookEvent
    {
        var data = JSONObjectWriter()
        data.string("repo_key", repo)
        data.string("path", path)
        data.string("name", name)
        return try WebhookEvent(
            body: Array(#"{"domain":"artifact","event_type":"deployed","data":\#(data.finished)}"#.utf8))
    }

    static let refusedKeys = [
        "api", "ui", "webapp", "list", "simple", "repo", "favicon.ico", "API", "Api", "&", "libs:local",
        "libs|x", "libs?x", "libs*", "libs\"x", "libs<x>", "libs\\x", "libs\u{1B}[31m",
        String(repeating: "k", count: 65),
    ]

    @Test(arguments: refusedKeys)
    func everyItemActionRefusesAnEventRepositoryThatIsNotAKey(_ repo: String) throws {
        let rules = try Fixtures.rules(Self.itemRules)

        let plan = rules.plan(try Self.deployed(repo: repo), context: Fixtures.context)

        #expect(plan.actions == [])
        #expect(plan.failures.map(\.kind) == [.setProperties, .deleteProperties, .copy, .move, .delete])
        #expect(plan.failures.allSatisfy { $0.code == .badRepository })
        #expect(plan.failures.allSatisfy { $0.message.hasPrefix("repo \"") })
        #expect(plan.failures.allSatisfy { $0.message.contains("is not a repository key: ") })
    }

    @Test func theMessageSaysWhy() throws {
        let rules = try Fixtures.rules(
            "rules:\n  - name: r\n    on: artifact.deployed\n    do:\n      - delete: {}\n")

        let api = rules.plan(try Self.deployed(repo: "api"), context: Fixtures.context)
        let long = rules.plan(try Self.deployed(repo: String(repeating: "k", count: 65)), context: Fixtures.context)
        let colon = rules.plan(try Self.deployed(repo: "a:b"), context: Fixtures.context)

        #expect(
            api.failures.map(\.message) == [
                #"repo "api" is not a repository key: Artifactory serves "api" at the root of its URL itself, "#
                    + "so a request under it would not reach a repository"
            ])
        #expect(long.failures.first?.message.hasSuffix("it is 65 characters long; Artifactory's limit is 64") == true)
        #expect(
            colon.failures.map(\.message) == [
                #"repo "a:b" is not a repository key: it contains ":", which Artifactory forbids in repository keys"#
            ])
    }

    @Test(arguments: ["libs-release-local", "docker-remote-cache", "artifactory-build-info", "a", "apis", "my.api"])
    func repositoryKeysArePlanned(_ repo: String) throws {
        let rules = try Fixtures.rules(Self.itemRules)

        let plan = rules.plan(try Self.deployed(repo: repo, path: "a/b.jar"), context: Fixtures.context)

        #expect(plan.failures == [])
        #expect(plan.actions.last?.request.pathAndQuery == "\(repo)/a/b.jar")
    }

    @Test(arguments: [
        ("copy", "to: \"{{ data.name }}/x.jar\""), ("move", "to: \"{{ data.name }}/{{ data.path }}\""),
        ("copy", "to: \"{{ data.name }}\""),
    ])
    func templatedTargetRepositoriesAreChecked(_ kind: String, _ options: String) throws {
        let rules = try Fixtures.rules(
            "rules:\n  - name: r\n    on: artifact.deployed\n    do:\n      - \(kind): { \(options) }\n")

        let plan = rules.plan(try Self.deployed(repo: "libs", path: "a.jar", name: "api"), context: Fixtures.context)

        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.badRepository])
        #expect(plan.failures.first?.message.hasPrefix(#"to "api" is not a repository key"#) == true)
    }

    @Test func templatedItemAndPromotionRepositoriesAreChecked() throws {
        let rules = try Fixtures.rules(
            """
            rules:
              - name: r
                on: artifact.deployed
                do:
                  - delete: {}
                    repo: "{{ data.name }}"
                    path: "security/users/admin"
                  - promote_build: { target_repo: "{{ data.name }}" }
                    build_name: b
                    build_number: "1"
            """)

        let plan = rules.plan(try Self.deployed(repo: "libs", path: "a.jar", name: "ui"), context: Fixtures.context)

        #expect(plan.actions == [])
        #expect(plan.failures.map(\.code) == [.badRepository, .badRepository])
        #expect(plan.failures.map { $0.message.prefix(17) } == [#"repo "ui" is not "#, #"target_repo "ui" "#])
    }

    @Test func aCopyIntoARepositoryRootStillWorks() throws {
        let rules = try Fixtures.rules(
            "rules:\n  - name: r\n    on: artifact.deployed\n    do:\n      - copy: { to: \"libs-qa-local\" }\n")

        let plan = rules.plan(try Self.deployed(repo: "libs", path: "a.jar"), context: Fixtures.context)

        #expect(plan.failures == [])
        #expect(plan.actions.map(\.request.pathAndQuery) == ["api/copy/libs/a.jar?to=/libs-qa-local"])
        #expect(plan.actions.first?.effects.map(\.subject).contains("artifact:libs-qa-local") == true)
    }
}

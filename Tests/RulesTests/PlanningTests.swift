import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Testing

/// Fixture event × rule file → the exact requests planned, byte for byte.
struct PlanningTests {
    struct Case: CustomTestStringConvertible, Sendable {
        /// A file under fixtures/rules/valid, or `rules/` for the shipped examples.
        var rules: String
        /// A fixture event, `DOMAIN/EVENT_TYPE`.
        var event: String
        /// `METHOD PATH`, followed by `BODY` lines for requests with one, in plan order.
        var requests: [String]
        /// Subject keys, in plan order.
        var subjects: [String]

        var testDescription: String { "\(rules) × \(event)" }
    }

    static let jar = "com/acme/payments/payments-core/2.4.1/payments-core-2.4.1.jar"
    static let jarSubject = "artifact:libs-release-local/\(jar)"

    static let cases: [Case] = [
        Case(
            rules: "valid/properties.yml", event: "artifact/deployed",
            requests: [
                "PUT api/storage/libs-release-local/\(jar)?properties=qa.status=pending;qa.platforms=linux,mac%20os;"
                    + "qa.sha=29e0d04004fdeee2cd68651a27ae6020b1b98dd35cc3942745a93cc2a13a4ced&recursive=0",
                "PUT api/storage/libs-release-local/\(jar)?properties=build.event=42;seen=2025-11-29T10%3A00%3A00Z"
                    + "&recursive=1",
                "DELETE api/storage/libs-release-local/\(jar)?properties=qa.old,qa.legacy&recursive=0",
            ],
            subjects: [jarSubject, jarSubject, jarSubject]),
        Case(
            rules: "valid/properties.yml", event: "artifact_property/added",
            requests: ["DELETE api/storage/libs-release-local/\(jar)?properties=qa.status&recursive=1"],
            subjects: [jarSubject]),
        Case(rules: "valid/properties.yml", event: "artifact_property/deleted", requests: [], subjects: []),
        Case(
            rules: "valid/transfers.yml", event: "artifact/deployed",
            requests: [
                "POST api/copy/libs-release-local/\(jar)?to=/libs-qa-local/\(jar)&dry=1&suppressLayouts=0&failFast=1",
                "POST api/move/libs-staging-local/staging/payments-core-2.4.1.jar"
                    + "?to=/libs-archive-local/deployed/payments-core-2.4.1.jar",
            ],
            subjects: [jarSubject, "artifact:libs-staging-local/staging/payments-core-2.4.1.jar"]),
        Case(
            rules: "valid/transfers.yml", event: "artifact/moved",
            requests: [
                "POST api/copy/libs-release-local/\(jar)?to=/libs-qa-local/\(jar)&dry=1&suppressLayouts=0&failFast=1",
                "POST api/move/libs-staging-local/staging/payments-core-2.4.1.jar"
                    + "?to=/libs-archive-local/moved/payments-core-2.4.1.jar",
            ],
            subjects: [jarSubject, "artifact:libs-staging-local/staging/payments-core-2.4.1.jar"]),
        Case(
            rules: "valid/transfers.yml", event: "artifact/deleted",
            requests: ["DELETE libs-qa-local/\(jar)"], subjects: ["artifact:libs-qa-local/\(jar)"]),
        Case(rules: "valid/transfers.yml", event: "artifact/copied", requests: [], subjects: []),
        Case(
            rules: "valid/promote.yml", event: "build/uploaded",
            requests: [
                "POST api/build/promote/payments-service/1024?project=pay",
                #"BODY {"status":"released","comment":"promote-everything for build.uploaded","ciUser":"ci-bot","#
                    + #""timestamp":"2025-11-29T10:00:00.000+0000","dryRun":false,"sourceRepo":"libs-staging-local","#
                    + #""targetRepo":"libs-release-local","copy":true,"artifacts":true,"dependencies":true,"#
                    + #""scopes":["compile","runtime"],"properties":{"release.name":["payments 1024"],"#
                    + #""components":["core","api"]},"failFast":false}"#,
            ],
            subjects: ["build:payments-service#1024"]),
        Case(rules: "valid/promote.yml", event: "build/deleted", requests: [], subjects: []),
        Case(
            rules: "valid/promote.yml", event: "docker/pushed",
            requests: [
                "POST api/build/promote/docker%2Facme%2Fpayments-api/1.8.0",
                #"BODY {"status":"image 1.8.0","ciUser":"artifactory-hooks","#
                    + #""timestamp":"2025-11-29T10:00:00.000+0000"}"#,
            ],
            subjects: ["build:docker/acme/payments-api#1.8.0"]),
        Case(
            rules: "rules/", event: "artifact/deployed",
            requests: [
                "PUT api/storage/libs-release-local/\(jar)?properties=qa.status=pending;"
                    + "qa.source=jfrog%2Fjfrt%4001j9x3k7m2q8r4t6v0w5y1z3ab;qa.event=42&recursive=0",
                "POST api/copy/libs-release-local/\(jar)?to=/libs-qa-local/\(jar)&suppressLayouts=1",
                // rules/release-folders.yml: the jar's folder, with its name's captures.
                "PUT api/storage/libs-release-local/com/acme/payments/payments-core/2.4.1"
                    + "?properties=release.version=2.4.1;release.app=PAYMENTS-CORE&recursive=0",
            ],
            subjects: [jarSubject, jarSubject, "artifact:libs-release-local/com/acme/payments/payments-core/2.4.1"]),
        Case(
            rules: "rules/", event: "build/uploaded",
            requests: [
                "POST platform:xray/api/v1/scanBuild",
                #"BODY {"buildName":"payments-service","buildNumber":"1024","rescan":false}"#,
                "POST api/build/promote/payments-service/1024",
                #"BODY {"status":"staged","comment":"Staged by stage-payments-builds (event 42)","#
                    + #""ciUser":"artifactory-hooks","timestamp":"2025-11-29T10:00:00.000+0000","#
                    + #""sourceRepo":"libs-staging-local","targetRepo":"libs-release-local","copy":true,"#
                    + #""dependencies":false,"properties":{"staged.by":["artifactory-hooks"],"#
                    + #""staged.at":["2025-11-29T10:00:00Z"]},"failFast":true}"#,
            ],
            subjects: ["build:payments-service#1024", "build:payments-service#1024"]),
        Case(
            rules: "rules/", event: "release_bundle_v2/release_bundle_v2_completed",
            requests: [
                "POST platform:lifecycle/api/v2/distribution/distribute/payments-release/2.4.1"
                    + "?repository_key=release-bundles-v2",
                #"BODY {"auto_create_missing_repositories":false,"distribution_rules":[{"site_name":"*"}]}"#,
            ],
            subjects: ["bundle:payments-release@2.4.1"]),
        Case(
            rules: "rules/", event: "docker/pushed",
            requests: [
                "POST api/copy/docker-local/acme/payments-api/1.8.0?to=/docker-prod-local/acme/payments-api/1.8.0",
                "PUT api/storage/docker-local/acme/payments-api/1.8.0?properties=release.tag=1.8.0;"
                    + "release.origin=https%3A%2F%2Fartifactory.example.com&recursive=1",
            ],
            subjects: [
                "artifact:docker-local/acme/payments-api/1.8.0", "artifact:docker-local/acme/payments-api/1.8.0",
            ]),
        Case(
            rules: "rules/", event: "artifact_property/added",
            requests: ["DELETE api/storage/libs-release-local/\(jar)?properties=qa.status,qa.event&recursive=0"],
            subjects: [jarSubject]),
        Case(rules: "rules/", event: "docker/deleted", requests: [], subjects: []),
        Case(rules: "rules/", event: "user/locked", requests: [], subjects: []),
        Case(rules: "rules/", event: "unknown/happened", requests: [], subjects: []),
    ]

    static func ruleSet(_ rules: String) throws -> RuleSet {
        if rules == "rules/" { return try RuleSet.load(directory: Fixtures.path("rules")) }
        return try RuleSet.compile(try Fixtures.ruleSources("\(rules)"))
    }

    @Test(arguments: cases)
    func plansExactRequests(_ testCase: Case) throws {
        // Given
        let ruleSet = try Self.ruleSet(testCase.rules)
        let event = try Fixtures.event(testCase.event)

        // When
        let plan = ruleSet.plan(event, context: Fixtures.context)

        // Then
        #expect(plan.failures == [])
        var lines: [String] = []
        for action in plan.actions {
            let base = action.request.base == .platform ? "platform:" : ""
            lines.append("\(action.request.method) \(base)\(action.request.pathAndQuery)")
            if let body = action.request.body {
                lines.append("BODY \(body)")
                #expect(action.request.contentType == "application/json")
            } else {
                #expect(action.request.contentType == nil)
            }
        }
        #expect(lines == testCase.requests)
        #expect(plan.actions.map(\.subject) == testCase.subjects)
    }

    @Test("artifactory.project goes with a promotion whose action names no project; an action's own wins")
    func defaultProject() throws {
        let ruleSet = try Self.ruleSet("valid/promote.yml")
        var context = Fixtures.context
        context.defaultProject = "team a"
        let docker = ruleSet.plan(try Fixtures.event("docker/pushed"), context: context)
        #expect(
            docker.actions.map(\.request.pathAndQuery) == [
                "api/build/promote/docker%2Facme%2Fpayments-api/1.8.0?project=team%20a"
            ])
        let build = ruleSet.plan(try Fixtures.event("build/uploaded"), context: context)
        #expect(build.actions.map(\.request.pathAndQuery) == ["api/build/promote/payments-service/1024?project=pay"])
    }

    @Test func plannedActionsNameTheirRuleAndPosition() throws {
        let plan = try Self.ruleSet("valid/properties.yml").plan(
            try Fixtures.event("artifact/deployed"), context: Fixtures.context)
        #expect(plan.matchedRules == ["tag-release"])
        #expect(plan.actions.map(\.rule) == ["tag-release", "tag-release", "tag-release"])
        #expect(plan.actions.map(\.actionIndex) == [0, 1, 2])
        #expect(plan.actions.map(\.kind) == [.setProperties, .setProperties, .deleteProperties])
        #expect(plan.actions.map(\.request.method) == [.put, .put, .delete])
    }

    @Test(arguments: [
        ("https://artifactory.example.com/artifactory", "https://artifactory.example.com/artifactory/libs-qa-local/a"),
        ("https://artifactory.example.com/artifactory/", "https://artifactory.example.com/artifactory/libs-qa-local/a"),
        ("http://127.0.0.1:8082", "http://127.0.0.1:8082/libs-qa-local/a"),
    ])
    func urlJoinsTheBaseWithOneSlash(base: String, expected: String) {
        let request = ArtifactoryRequest(method: .delete, pathAndQuery: "libs-qa-local/a")
        #expect(request.url(baseURL: base) == expected)
    }

    @Test func disabledRulesNeverPlan() throws {
        let ruleSet = try Fixtures.rules(
            """
            rules:
              - name: off
                enabled: false
                on: artifact.deployed
                do:
                  - delete: {}
            """)
        let plan = ruleSet.plan(try Fixtures.event("artifact/deployed"), context: Fixtures.context)
        #expect(plan.matchedRules == [])
        #expect(plan.actions == [])
        #expect(ruleSet.enabledCount == 0)
    }
}

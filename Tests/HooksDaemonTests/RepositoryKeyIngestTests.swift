import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HooksDaemon
import HooksTestSupport
import Storage
import Testing

@Suite("Repository keys from signed events", .timeLimit(.minutes(1)))
struct RepositoryKeyIngestTests {
    static let rules = """
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

    @Test("a signed event naming api/… plans no item call: each action is a bad_repository plan failure")
    func reservedRepositoryIsNeverCalled() async throws {
        try await DeliveryHarness.run(rules: Self.rules) { harness, client in
            let body =
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"api","path":"repositories/libs-qa-local","name":"libs-qa-local"}}"#
            let ack = try await harness.post(client, body)
            #expect(ack.planned == 0)

            let store = try await harness.daemon.openStore()
            let failures = try await store.planFailures(forEvent: ack.event_id)
            try await store.close()
            #expect(failures.map(\.kind) == ["set_properties", "delete_properties", "copy", "move", "delete"])
            #expect(failures.allSatisfy { $0.code == "bad_repository" })
            #expect(failures.first?.message.contains(#"repo "api" is not a repository key"#) == true)

            let metrics = try await harness.admin.scrape()
            #expect(metrics.value("artifactory_hooks_plan_failures_total", ["code": "bad_repository"]) == 5)
            // Still nothing reached Artifactory a moment later.
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.simulator.state.requests.filter { $0.target.contains("api/repositories") }.isEmpty)
            #expect(harness.simulator.state.requests.filter { $0.method == "DELETE" }.isEmpty)
        }
    }
}

import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Backpressure: worker.max_pending defers planning, never refuses", .timeLimit(.minutes(1)))
struct BackpressureTests {
    static let rules = """
        rules:
          - name: stamp
            on: artifact.deployed
            do:
              - set_properties: { stamp: "{{ event.id }}" }
        """

    @Test("a burst over the limit is stored and acknowledged, deferred, then planned and done; none lost")
    func burstIsDeferredThenPlanned() async throws {
        let files = (0..<30).map { "com/acme/\($0).jar" }
        try await DeliveryHarness.run(
            rules: Self.rules, worker: "backoff_base: 100ms\nconcurrency: 1\nmax_pending: 3", files: files
        ) { harness, client in
            // Given: Artifactory answers slowly, so jobs pile up.
            harness.simulator.state.injectFault(.latency(.milliseconds(100)), times: 10)

            // When: 30 events arrive back to back.
            var acks: [Acknowledgement] = []
            for file in files {
                acks.append(try await harness.post(client, DeliveryHarness.deployed(file)))
            }

            // Then: every event was acknowledged; some were stored unplanned.
            #expect(acks.count == 30)
            let deferred = acks.filter { $0.planned == 0 }
            #expect(!deferred.isEmpty)
            #expect(acks.filter { $0.planned == 1 }.count >= 3)
            let during = try await harness.admin.scrape()
            #expect(during.value("artifactory_hooks_events_deferred_total") == Double(deferred.count))

            // And: the deferred ones are planned later, and every event's job is done.
            for ack in acks {
                let jobs = try await harness.waitForJobs(of: ack.event_id)
                #expect(jobs.map(\.state) == [.done])
                #expect(jobs.first?.origin == .ingest)
            }
            let store = try await harness.daemon.openStore()
            let status = try await store.status(since: Date().addingTimeInterval(-60))
            try await store.close()
            #expect(status.deferredEvents == 0)
            #expect(status.jobsByState[.done] == 30)
            for file in files {
                let item = harness.simulator.state.item(repo: "libs-release-local", path: file)
                #expect(item?.properties["stamp"]?.count == 1)
            }
            let after = try await harness.admin.scrape {
                $0.value("artifactory_hooks_jobs", ["state": "done"]) == 30
            }
            #expect(after.value("artifactory_hooks_backpressure_active") == 0)
            #expect(after.value("artifactory_hooks_deferred_events") == 0)
        }
    }
}

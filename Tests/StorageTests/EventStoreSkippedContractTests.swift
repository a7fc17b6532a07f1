import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: skipped jobs")
struct EventStoreSkippedContractTests {
    @Test(
        "a job whose guard did not hold is skipped: final, with its reason, never retried, listed by state",
        arguments: StoreFactory.all)
    func skippedIsFinal(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // Given two jobs of one subject, the first leased (which records the event it would cause)
            let effect = ExpectedEffect(
                subject: "artifact:libs-release-local/a.jar", kind: "artifact_property.added", detail: "qa")
            let jobs = [
                NewJob(
                    rule: "guarded", actionIndex: 0, kind: "set_properties", subject: effect.subject, request: "{}",
                    effects: [effect]),
                NewJob(rule: "next", actionIndex: 0, kind: "delete", subject: effect.subject, request: "{}"),
            ]
            let event = try await EventStoreShadowContractTests.event(store, path: "1", jobs)
            let ids = try await store.jobs(forEvent: event).map(\.id)
            #expect(try await EventStoreShadowContractTests.lease(store).map(\.job.id) == [ids[0]])

            // When its attempt finishes as skipped
            let reason = #"item.properties.locked is "true"; wanted {not: "true"}"#
            #expect(
                try await store.finishAttempt(
                    JobAttempt(
                        jobID: ids[0], startedAt: Date(), duration: .milliseconds(3), httpStatus: nil,
                        message: reason, next: .skipped), owner: "w1"))

            // Then it is skipped and finished, with the reason and one skipped attempt…
            let skipped = try #require(try await store.job(id: ids[0]))
            #expect(skipped.state == .skipped)
            #expect(skipped.finishedAt != nil)
            #expect(skipped.lastError == reason)
            #expect(try await store.attempts(forJob: ids[0]).map(\.outcome) == ["skipped"])
            // …listed by its state and counted, not retried, not cancellable…
            #expect(try await store.jobs(matching: JobQuery(state: .skipped)).map(\.id) == [ids[0]])
            #expect(try await store.jobCounts()[.skipped] == 1)
            #expect(try await store.retryJobs(ids: nil, now: Date()) == 0)
            #expect(try await store.retryJobs(ids: [ids[0]], now: Date()) == 0)
            #expect(try await !store.cancelJob(id: ids[0], now: Date()))
            // …the event the call would have caused is, when someone else causes it, not self-caused…
            let property = try await store.insert(
                try delivery(
                    #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"a.jar","name":"a.jar","property_key":"qa","property_values":["v"]}}"#
                ),
                dedupWindow: .zero)
            #expect(try await store.event(id: property.eventID)?.selfCaused == false)
            // …and the subject's next job runs.
            #expect(try await EventStoreShadowContractTests.lease(store).map(\.job.id) == [ids[1]])
        }
    }
}

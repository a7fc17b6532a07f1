import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Synchronization
import Testing

@Suite("EventStore contract: plans and jobs")
struct EventStorePlanContractTests {
    static func job(_ rule: String, _ index: Int, subject: String = "artifact:r/a") -> NewJob {
        NewJob(rule: rule, actionIndex: index, kind: "set_properties", subject: subject, request: #"{"method":"PUT"}"#)
    }

    /// Counts how often a plan closure runs.
    final class Calls: Sendable {
        let ids = Mutex<[Int64]>([])
    }

    @Test(
        "jobs and failures are written with the event, planned with its id; the result holds the plan",
        arguments: StoreFactory.all)
    func jobsWithEvent(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let calls = Calls()
            let plan = EventPlan(
                jobs: [Self.job("tag", 0), Self.job("tag", 1)],
                failures: [
                    PlanFailure(rule: "copy", actionIndex: 0, kind: "copy", code: "missing_field", message: "no data.x")
                ], skippedSelfCaused: 1)
            let result = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60)) {
                id, _ in
                calls.ids.withLock { $0.append(id) }
                return plan
            }
            #expect(result.planned == 2)
            // What the loop guard held back is not stored, and comes back with what is.
            #expect(result.plan == plan)
            #expect(calls.ids.withLock { $0 } == [result.eventID])
            let jobs = try await store.jobs(forEvent: result.eventID)
            #expect(jobs.map(\.actionIndex) == [0, 1])
            #expect(jobs.allSatisfy { $0.state == .pending && $0.origin == .ingest && $0.attemptCount == 0 })
            #expect(jobs.first?.request == #"{"method":"PUT"}"#)
            #expect(jobs.first?.subject == "artifact:r/a")
            let failures = try await store.planFailures(forEvent: result.eventID)
            #expect(failures.map(\.message) == ["no data.x"])
        }
    }

    @Test("a duplicate plans nothing", arguments: StoreFactory.all)
    func duplicatePlansNothing(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let calls = Calls()
            let plan: @Sendable (Int64, SelfCause?) -> EventPlan = { id, _ in
                calls.ids.withLock { $0.append(id) }
                return EventPlan(jobs: [Self.job("tag", 0)])
            }
            let first = try await store.insert(
                try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60), plan: plan)
            let second = try await store.insert(
                try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60), plan: plan)
            #expect(first.planned == 1)
            #expect(second.planned == 0)
            #expect(second.isDuplicate)
            #expect(second.plan == .empty)
            #expect(calls.ids.withLock { $0 } == [first.eventID])
            #expect(try await store.jobs(forEvent: second.eventID).isEmpty)
        }
    }

    @Test("a replay adds jobs marked as replays", arguments: StoreFactory.all)
    func replay(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let first = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60)) {
                _, _ in
                EventPlan(jobs: [Self.job("tag", 0)])
            }
            let added = try await store.addPlan(
                EventPlan(jobs: [Self.job("tag", 0), Self.job("other", 0)]), toEvent: first.eventID, origin: .replay)
            #expect(added == 2)
            let jobs = try await store.jobs(forEvent: first.eventID)
            #expect(jobs.map(\.origin) == [.ingest, .replay, .replay])
            #expect(jobs.map(\.rule) == ["tag", "tag", "other"])
        }
    }
}

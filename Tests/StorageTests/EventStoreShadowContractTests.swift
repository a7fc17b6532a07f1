import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: shadow jobs")
struct EventStoreShadowContractTests {
    static func job(_ index: Int, subject: String = "artifact:r/a", shadow: Bool) -> NewJob {
        NewJob(
            rule: shadow ? "trial" : "tag", actionIndex: index, kind: "set_properties", subject: subject,
            request: #"{"method":"PUT"}"#,
            effects: [ExpectedEffect(subject: subject, kind: "artifact_property.added", detail: "qa")],
            shadow: shadow)
    }

    /// Stores one event received at `date` with `jobs`; returns the event id.
    static func event(_ store: any EventStore, path: String, at date: Date = Date(), _ jobs: [NewJob])
        async throws -> Int64
    {
        try await store.insert(try delivery(artifactBody(path: path), at: date), dedupWindow: .zero) { _, _ in
            EventPlan(jobs: jobs)
        }.eventID
    }

    static func lease(_ store: any EventStore, at now: Date = Date()) async throws -> [LeasedJob] {
        try await store.leaseJobs(
            owner: "w1", limit: 100, now: now, leaseDuration: .seconds(60), effectWindow: .seconds(60))
    }

    @Test(
        "a shadow job is stored with its event in state shadow, settled, and never leased",
        arguments: StoreFactory.all)
    func neverLeased(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // Given a shadow job ahead of a live job of the same subject
            let event = try await Self.event(store, path: "1", [Self.job(0, shadow: true), Self.job(1, shadow: false)])
            let jobs = try await store.jobs(forEvent: event)
            #expect(jobs.map(\.state) == [.shadow, .pending])
            let shadow = jobs[0]
            #expect(shadow.attemptCount == 0)
            #expect(shadow.finishedAt != nil)
            #expect(shadow.request == #"{"method":"PUT"}"#)

            // When the worker leases, long after: only the live job runs, and the shadow job does
            // not hold its subject's place
            let leased = try await Self.lease(store, at: Date().addingTimeInterval(3600))
            #expect(leased.map(\.job.id) == [jobs[1].id])
            #expect(
                try await store.finishAttempt(
                    JobAttempt(
                        jobID: jobs[1].id, startedAt: Date(), duration: .milliseconds(1), httpStatus: 204,
                        message: nil, next: .done), owner: "w1"))

            // Then nothing is due, ever, and the shadow job is as it was
            #expect(try await Self.lease(store, at: Date().addingTimeInterval(86_400)).isEmpty)
            #expect(try await store.nextDueDate() == nil)
            #expect(try await store.job(id: shadow.id) == shadow)
            #expect(try await store.attempts(forJob: shadow.id).isEmpty)
        }
    }

    @Test(
        "a shadow job's expected effects are not recorded, so it marks no event self-caused",
        arguments: StoreFactory.all)
    func noEffects(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Self.event(
                store, path: "1", [Self.job(0, subject: "artifact:libs-release-local/x", shadow: true)])
            #expect(try await Self.lease(store).isEmpty)
            let property =
                #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"x","name":"x","property_key":"qa","property_values":["1"]}}"#
            let result = try await store.insert(try delivery(property), dedupWindow: .zero) { _, cause in
                #expect(cause == nil)
                return .empty
            }
            #expect(try await store.event(id: result.eventID)?.selfCaused == false)
        }
    }

    @Test("jobs list --state shadow finds them; counts keep them apart from the backlog", arguments: StoreFactory.all)
    func listedAndCounted(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let first = try await Self.event(store, path: "1", [Self.job(0, shadow: true), Self.job(1, shadow: true)])
            let second = try await Self.event(store, path: "2", [Self.job(0, subject: "artifact:r/b", shadow: false)])
            let listed = try await store.jobs(matching: JobQuery(state: .shadow))
            #expect(listed.map(\.eventID) == [first, first])
            #expect(try await store.jobs(matching: JobQuery(state: .pending)).map(\.eventID) == [second])
            let counts = try await store.jobCounts()
            #expect(counts == [.shadow: 2, .pending: 1])
            #expect(StoredJob.State.unfinishedCount(counts) == 1)
            #expect(try await store.status(since: .distantPast).jobsByState == [.shadow: 2, .pending: 1])
        }
    }

    @Test("retry and cancel leave a shadow job alone", arguments: StoreFactory.all)
    func notRetriedNorCancelled(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let event = try await Self.event(store, path: "1", [Self.job(0, shadow: true)])
            let shadow = try #require(try await store.jobs(forEvent: event).first)
            #expect(try await store.retryJobs(ids: [shadow.id], now: Date()) == 0)
            #expect(try await store.retryJobs(ids: nil, now: Date()) == 0)
            #expect(try await store.cancelJob(id: shadow.id, now: Date()) == false)
            #expect(try await store.job(id: shadow.id) == shadow)
            #expect(try await Self.lease(store).isEmpty)
            #expect(try await store.jobCounts() == [.shadow: 1])
        }
    }

    @Test("a plan added later (replay, deferred planning) records its shadow jobs too", arguments: StoreFactory.all)
    func addPlan(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let event = try await Self.event(store, path: "1", [])
            let created = try await store.addPlan(
                EventPlan(jobs: [Self.job(0, shadow: true), Self.job(1, shadow: false)]), toEvent: event,
                origin: .replay)
            #expect(created == 2)
            let jobs = try await store.jobs(forEvent: event)
            #expect(jobs.map(\.state) == [.shadow, .pending])
            #expect(jobs.allSatisfy { $0.origin == .replay })
            #expect(try await store.jobCounts() == [.shadow: 1, .pending: 1])
        }
    }

    @Test(
        "retention prunes an old event whose jobs are shadow or settled, and keeps one with a live job",
        arguments: StoreFactory.all)
    func pruned(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let old = Date().addingTimeInterval(-40 * 86_400)
            let shadowOnly = try await Self.event(store, path: "1", at: old, [Self.job(0, shadow: true)])
            let mixed = try await Self.event(
                store, path: "2", at: old,
                [
                    Self.job(0, subject: "artifact:r/2", shadow: true),
                    Self.job(1, subject: "artifact:r/2", shadow: false),
                ])
            let cutoff = Date().addingTimeInterval(-30 * 86_400)
            #expect(try await store.prunableEvents(receivedBefore: cutoff) == PruneCount(events: 1, jobs: 1))
            #expect(try await store.pruneEvents(receivedBefore: cutoff, limit: 100) == PruneCount(events: 1, jobs: 1))
            #expect(try await store.event(id: shadowOnly) == nil)
            #expect(try await store.jobs(forEvent: mixed).map(\.state) == [.shadow, .pending])
            #expect(try await store.jobCounts() == [.shadow: 1, .pending: 1])
        }
    }
}

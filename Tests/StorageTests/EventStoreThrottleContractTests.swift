import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: throttle windows (once_within)")
struct EventStoreThrottleContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A job of rule `rule` claiming the window of `key` (`nil`: unthrottled).
    static func job(rule: String = "notify", index: Int = 0, key: String?, window: Duration = .seconds(600))
        -> NewJob
    {
        var job = NewJob(
            rule: rule, actionIndex: index, kind: "http", subject: "target:chat|build:app",
            request: #"{"method":"POST"}"#)
        job.throttle = key.map { ThrottleClaim(scope: rule, key: $0, window: window) }
        return job
    }

    /// Stores a new event (its own body, so never a duplicate) received at `date` with `jobs`.
    static func event(_ store: any EventStore, _ number: Int, at date: Date, _ jobs: [NewJob]) async throws
        -> IngestResult
    {
        try await store.insert(
            try delivery(artifactBody(path: "upload-\(number).jar"), at: date), dedupWindow: .zero
        ) { _, _ in EventPlan(jobs: jobs) }
    }

    @Test(
        "inside the window a claim on one key is throttled and recorded; other keys and jobs are written; later, sent",
        arguments: StoreFactory.all)
    func windowPerKey(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // Given a first event that opens the window of key app
            let first = try await Self.event(store, 1, at: Self.start, [Self.job(key: "app")])
            #expect(first.plan.jobs.count == 1)
            #expect(first.plan.throttled.isEmpty)

            // When a second event claims it 9 minutes later, beside an unthrottled job
            let second = try await Self.event(
                store, 2, at: Self.start.addingTimeInterval(540),
                [Self.job(key: "app"), Self.job(rule: "tag", key: nil)])

            // Then only the unthrottled job is written, and the throttled one is on the event
            #expect(second.plan.jobs.map(\.rule) == ["tag"])
            #expect(second.plan.liveJobCount == 1)
            #expect(second.plan.throttled.map(\.rule) == ["notify"])
            let jobs = try await store.jobs(forEvent: second.eventID)
            #expect(jobs.map(\.rule) == ["tag"])
            let recorded = try await store.planFailures(forEvent: second.eventID)
            #expect(recorded.map(\.code) == [ThrottleClaim.throttledCode])
            #expect(recorded.first?.message == #"once within 10m per key "app""#)

            // Another key has its own window
            let other = try await Self.event(store, 3, at: Self.start.addingTimeInterval(540), [Self.job(key: "lib")])
            #expect(other.plan.jobs.count == 1)

            // After the window (from the first event), the key is claimed again
            let later = try await Self.event(store, 4, at: Self.start.addingTimeInterval(601), [Self.job(key: "app")])
            #expect(later.plan.jobs.count == 1)
            #expect(later.plan.throttled.isEmpty)
            let again = try await Self.event(store, 5, at: Self.start.addingTimeInterval(700), [Self.job(key: "app")])
            #expect(again.plan.jobs.isEmpty)
            #expect(again.plan.throttled.count == 1)
        }
    }

    @Test("a key of 10 kB (from an event field) is claimed like a short one", arguments: StoreFactory.all)
    func longKey(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let long = String(repeating: "k", count: 10_000)
            let first = try await Self.event(store, 1, at: Self.start, [Self.job(key: long)])
            #expect(first.plan.jobs.count == 1)
            let second = try await Self.event(store, 2, at: Self.start.addingTimeInterval(1), [Self.job(key: long)])
            #expect(second.plan.throttled.count == 1)
            let other = try await Self.event(
                store, 3, at: Self.start.addingTimeInterval(1), [Self.job(key: long + "2")])
            #expect(other.plan.jobs.count == 1)
        }
    }

    @Test("the jobs of one event sharing a claim are sent or throttled together", arguments: StoreFactory.all)
    func sharedClaim(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let jobs = [Self.job(index: 0, key: "app"), Self.job(index: 1, key: "app")]
            let first = try await Self.event(store, 1, at: Self.start, jobs)
            #expect(first.plan.jobs.count == 2)
            let second = try await Self.event(store, 2, at: Self.start.addingTimeInterval(1), jobs)
            #expect(second.plan.jobs.isEmpty)
            #expect(second.plan.throttled.map(\.actionIndex) == [0, 1])
        }
    }

    @Test(
        "a plan added to a stored event (replay) claims the window as an arriving event does",
        arguments: StoreFactory.all)
    func replayClaims(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // The store stamps an added plan with its own clock: the window opened now holds.
            let first = try await Self.event(store, 1, at: Date(), [Self.job(key: "app")])
            let replayed = try await store.commitPlan(
                EventPlan(jobs: [Self.job(key: "app")]), toEvent: first.eventID, origin: .replay)
            #expect(replayed.jobs.isEmpty)
            #expect(replayed.throttled.count == 1)
            #expect(try await store.jobs(forEvent: first.eventID).count == 1)
            #expect(try await store.planFailures(forEvent: first.eventID).map(\.code) == ["throttled"])
            let unrelated = try await store.addPlan(
                EventPlan(jobs: [Self.job(key: "other")]), toEvent: first.eventID, origin: .replay)
            #expect(unrelated == 1)
        }
    }
}

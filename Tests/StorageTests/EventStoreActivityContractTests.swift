import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: the status page's queries")
struct EventStoreActivityContractTests {
    typealias Jobs = EventStoreJobContractTests

    /// A minute-aligned time an hour ago, so that buckets are predictable.
    static let base = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 3600)

    @Test("events per minute: stored, duplicates and self-caused, in their own buckets", arguments: StoreFactory.all)
    func eventBuckets(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // Given two events in the first minute (one of them repeated), one two minutes later
            let first = Self.base
            _ = try await store.insert(try delivery(artifactBody(path: "a"), at: first), dedupWindow: .seconds(600))
            _ = try await store.insert(
                try delivery(artifactBody(path: "a"), at: first.addingTimeInterval(5)), dedupWindow: .seconds(600))
            _ = try await store.insert(
                try delivery(artifactBody(path: "b"), at: first.addingTimeInterval(30)), dedupWindow: .seconds(600))
            _ = try await store.insert(
                try delivery(artifactBody(path: "c"), at: first.addingTimeInterval(150)), dedupWindow: .seconds(600))
            // and one before the window
            _ = try await store.insert(
                try delivery(artifactBody(path: "old"), at: first.addingTimeInterval(-600)), dedupWindow: .seconds(600))

            let buckets = try await store.eventActivity(since: first, bucket: .seconds(60))
            #expect(
                buckets == [
                    EventActivity(start: first, stored: 2, duplicates: 1, selfCaused: 0),
                    EventActivity(start: first.addingTimeInterval(120), stored: 1, duplicates: 0, selfCaused: 0),
                ])
        }
    }

    @Test("a self-caused event counts as self-caused, not stored", arguments: StoreFactory.all)
    func selfCausedBucket(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let effect = ExpectedEffect(
                subject: "artifact:libs-release-local/a.jar", kind: "artifact_property.added", detail: "qa.status")
            try await Jobs.plan(
                store, path: "x", [Jobs.job(0, subject: effect.subject, effects: [effect])], at: Self.base)
            _ = try await store.leaseJobs(
                owner: "w1", limit: 5, now: Date(), leaseDuration: .seconds(60), effectWindow: .seconds(60))
            _ = try await store.insert(
                try delivery(
                    #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"a.jar","name":"a.jar","property_key":"qa.status","property_values":["v"]}}"#,
                    at: Self.base.addingTimeInterval(10)),
                dedupWindow: .zero)
            let buckets = try await store.eventActivity(since: Self.base, bucket: .seconds(60))
            #expect(buckets == [EventActivity(start: Self.base, stored: 1, duplicates: 0, selfCaused: 1)])
        }
    }

    @Test("attempts per minute by outcome, and per rule the jobs of the period", arguments: StoreFactory.all)
    func attemptsAndRules(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let start = Date().addingTimeInterval(-1)
            let ids = try await Jobs.plan(
                store, path: "1",
                [Jobs.job(0), Jobs.job(1, subject: "artifact:r/b"), Jobs.job(2, subject: "artifact:r/c")])
            var other = Jobs.job(0, subject: "artifact:r/d")
            other.rule = "promote"
            try await Jobs.plan(store, path: "2", [other])
            _ = try await Jobs.lease(store)
            #expect(try await Jobs.finish(store, ids[0], .done))
            #expect(try await Jobs.finish(store, ids[1], .dead))
            #expect(try await Jobs.finish(store, ids[2], .retry(at: Date().addingTimeInterval(60))))

            let attempts = try await store.attemptActivity(since: start, bucket: .seconds(3600))
            #expect(attempts.map(\.done).reduce(0, +) == 1)
            #expect(attempts.map(\.dead).reduce(0, +) == 1)
            #expect(attempts.map(\.retried).reduce(0, +) == 1)
            #expect(attempts.map(\.skipped).reduce(0, +) == 0)
            #expect(
                try await store.attemptActivity(since: Date().addingTimeInterval(3600), bucket: .seconds(60)).isEmpty)

            let rules = try await store.ruleActivity(since: start)
            #expect(
                rules == [
                    RuleActivity(rule: "promote", events: 1, jobs: 1, done: 0, dead: 0),
                    RuleActivity(rule: "tag", events: 1, jobs: 3, done: 1, dead: 1),
                ])
            #expect(try await store.ruleActivity(since: Date().addingTimeInterval(3600)).isEmpty)
        }
    }

    @Test("events filter by endpoint, origin, arrival, time and page by id", arguments: StoreFactory.all)
    func eventFilters(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let a = try await store.insert(try delivery(artifactBody(path: "a"), at: Self.base), dedupWindow: .zero)
            let b = try await store.insert(
                try delivery(artifactBody(path: "b"), endpoint: "other", at: Self.base.addingTimeInterval(60)),
                dedupWindow: .zero)
            let body =
                #"{"domain":"build","event_type":"uploaded","jpd_origin":"https://jpd.example","data":{"build_name":"app","build_number":"1"}}"#
            var caught = try delivery(body, at: Self.base.addingTimeInterval(120))
            caught.arrival = .catchUp
            let c = try await store.insert(caught, dedupWindow: .zero)

            #expect(try await store.events(matching: EventQuery(endpoint: "other")).map(\.id) == [b.eventID])
            #expect(
                try await store.events(matching: EventQuery(origin: "https://jpd.example")).map(\.id) == [c.eventID])
            #expect(try await store.events(matching: EventQuery(arrival: .catchUp)).map(\.id) == [c.eventID])
            #expect(
                try await store.events(matching: EventQuery(arrival: .delivery)).map(\.id) == [b.eventID, a.eventID])
            #expect(
                try await store.events(
                    matching: EventQuery(
                        since: Self.base.addingTimeInterval(30), until: Self.base.addingTimeInterval(90))
                ).map(\.id) == [b.eventID])
            #expect(try await store.events(matching: EventQuery(buildName: "app")).map(\.id) == [c.eventID])
            // Pages: newest first, the next page below the last id shown.
            let page = try await store.events(matching: EventQuery(limit: 2))
            #expect(page.map(\.id) == [c.eventID, b.eventID])
            #expect(
                try await store.events(matching: EventQuery(beforeID: b.eventID, limit: 2)).map(\.id) == [a.eventID])
        }
    }

    @Test("jobs filter by rule, target and page by id", arguments: StoreFactory.all)
    func jobFilters(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            var promote = Jobs.job(1, subject: "artifact:r/b")
            promote.rule = "promote"
            let target = Jobs.job(2, subject: SubjectFilter.prefix(ofTarget: "chat") + "artifact:r/c")
            let ids = try await Jobs.plan(store, path: "1", [Jobs.job(0), promote, target])

            #expect(try await store.jobs(matching: JobQuery(rule: "promote")).map(\.id) == [ids[1]])
            #expect(try await store.jobs(matching: JobQuery(subjects: .target("chat"))).map(\.id) == [ids[2]])
            #expect(try await store.jobs(matching: JobQuery(subjects: .notTargets)).map(\.id) == [ids[1], ids[0]])
            #expect(
                try await store.jobs(matching: JobQuery(rule: "tag", subjects: .target("chat"))).map(\.id) == [ids[2]])
            #expect(try await store.jobs(matching: JobQuery(beforeID: ids[2], limit: 1)).map(\.id) == [ids[1]])
        }
    }

    @Test("catch-up checkpoints read back with their lease", arguments: StoreFactory.all)
    func checkpoints(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            #expect(try await store.catchUpCheckpoints().isEmpty)
            let until = Date().addingTimeInterval(60)
            _ = try await store.claimCatchUp(subscription: "main", owner: "d1", now: Date(), until: until)
            #expect(try await store.advanceCatchUp(subscription: "main", owner: "d1", checkpoint: 1234, until: until))
            let read = try await store.catchUpCheckpoints()
            #expect(read.map(\.subscription) == ["main"])
            #expect(read.first?.checkpoint == 1234)
            #expect(read.first?.leaseOwner == "d1")
            let expires = try #require(read.first?.leaseExpiresAt)
            #expect(abs(expires.timeIntervalSince(until)) < 0.001)
        }
    }
}

import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: leasing and running jobs")
struct EventStoreJobContractTests {
    static func job(_ index: Int, subject: String = "artifact:r/a", effects: [ExpectedEffect] = []) -> NewJob {
        NewJob(
            rule: "tag", actionIndex: index, kind: "set_properties", subject: subject, request: #"{"method":"PUT"}"#,
            effects: effects)
    }

    /// Stores one event (body unique by `path`) planning `jobs`; returns their ids.
    @discardableResult
    static func plan(_ store: any EventStore, path: String, _ jobs: [NewJob], at date: Date = Date()) async throws
        -> [Int64]
    {
        let result = try await store.insert(try delivery(artifactBody(path: path), at: date), dedupWindow: .zero) {
            _, _ in EventPlan(jobs: jobs)
        }
        return try await store.jobs(forEvent: result.eventID).map(\.id)
    }

    static func lease(_ store: any EventStore, _ owner: String = "w1", limit: Int = 10, at now: Date = Date())
        async throws -> [LeasedJob]
    {
        try await store.leaseJobs(
            owner: owner, limit: limit, now: now, leaseDuration: .seconds(60), effectWindow: .seconds(60))
    }

    static func finish(_ store: any EventStore, _ id: Int64, _ next: JobAttempt.Next, owner: String = "w1")
        async throws -> Bool
    {
        try await store.finishAttempt(
            JobAttempt(
                jobID: id, startedAt: Date(), duration: .milliseconds(5), httpStatus: next == .done ? 200 : 503,
                message: next == .done ? nil : "unavailable", next: next),
            owner: owner)
    }

    @Test(
        "only the oldest unfinished job of a subject is leased; other subjects run beside it",
        arguments: StoreFactory.all)
    func perSubjectOrder(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let a = try await Self.plan(store, path: "1", [Self.job(0), Self.job(1)])
            let b = try await Self.plan(store, path: "2", [Self.job(0, subject: "artifact:r/b")])
            let first = try await Self.lease(store)
            #expect(Set(first.map(\.job.id)) == [a[0], b[0]])
            #expect(first.allSatisfy { $0.job.state == .running && $0.job.attemptCount == 1 })
            // The second job of r/a waits while the first runs…
            #expect(try await Self.lease(store).isEmpty)
            #expect(try await Self.finish(store, a[0], .done))
            // …and runs once it is done.
            #expect(try await Self.lease(store).map(\.job.id) == [a[1]])
            #expect(try await store.job(id: a[0])?.state == .done)
            #expect(try await store.job(id: a[0])?.finishedAt != nil)
        }
    }

    @Test(
        "a failed job keeps its subject's place until its retry; a dead one lets the next run",
        arguments: StoreFactory.all)
    func retryAndDead(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(store, path: "1", [Self.job(0), Self.job(1)])
            _ = try await Self.lease(store)
            let retryAt = Date().addingTimeInterval(30)
            #expect(try await Self.finish(store, ids[0], .retry(at: retryAt)))
            let failed = try #require(try await store.job(id: ids[0]))
            #expect(failed.state == .failed)
            #expect(failed.lastError == "unavailable")
            #expect(abs(failed.dueAt.timeIntervalSince(retryAt)) < 0.001)
            #expect(try await Self.lease(store).isEmpty)
            // The next job of the subject is due now (waiting for its turn); the retry comes later.
            let next = try #require(try await store.nextDueDate())
            #expect(next < retryAt)
            // At its due time it is leased again (second attempt); dead, it no longer blocks.
            let again = try await Self.lease(store, at: retryAt.addingTimeInterval(1))
            #expect(again.map(\.job.id) == [ids[0]])
            #expect(again.first?.job.attemptCount == 2)
            #expect(try await Self.finish(store, ids[0], .dead))
            #expect(try await Self.lease(store, at: retryAt.addingTimeInterval(1)).map(\.job.id) == [ids[1]])
            let attempts = try await store.attempts(forJob: ids[0])
            #expect(attempts.map(\.outcome) == ["retry", "dead"])
            #expect(attempts.map(\.httpStatus) == [503, 503])
            #expect(attempts.first?.duration == .milliseconds(5))
        }
    }

    @Test(
        "an expired lease makes the job due again and the old owner's result is refused",
        arguments: StoreFactory.all)
    func leaseExpiry(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(store, path: "1", [Self.job(0)])
            let now = Date()
            let first = try await store.leaseJobs(
                owner: "dead-daemon", limit: 5, now: now, leaseDuration: .seconds(10), effectWindow: .seconds(60))
            #expect(first.map(\.job.id) == ids)
            #expect(abs(first[0].leaseExpiresAt.timeIntervalSince(now.addingTimeInterval(10))) < 0.001)
            #expect(try await Self.lease(store, "w2", at: now.addingTimeInterval(9)).isEmpty)
            let taken = try await Self.lease(store, "w2", at: now.addingTimeInterval(11))
            #expect(taken.map(\.job.id) == ids)
            #expect(taken.first?.job.attemptCount == 2)
            #expect(try await Self.finish(store, ids[0], .done, owner: "dead-daemon") == false)
            #expect(try await Self.finish(store, ids[0], .done, owner: "w2"))
            #expect(try await store.attempts(forJob: ids[0]).count == 1)
        }
    }

    @Test("handed-back leases are due at once and the attempt does not count", arguments: StoreFactory.all)
    func releaseLeases(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(store, path: "1", [Self.job(0, subject: "s1"), Self.job(0, subject: "s2")])
            _ = try await Self.lease(store, "w1")
            #expect(try await store.releaseLeases(owner: "other") == 0)
            #expect(try await store.releaseLeases(owner: "w1") == 2)
            for id in ids {
                let job = try #require(try await store.job(id: id))
                #expect(job.state == .pending)
                #expect(job.attemptCount == 0)
            }
            #expect(try await Self.lease(store, "w2").count == 2)
        }
    }

    @Test("jobs retry puts dead jobs back, cancel ends a job, and listing filters", arguments: StoreFactory.all)
    func retryCancelList(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(
                store, path: "1", [Self.job(0, subject: "s1"), Self.job(0, subject: "s2"), Self.job(0, subject: "s3")])
            _ = try await Self.lease(store)
            #expect(try await Self.finish(store, ids[0], .dead))
            #expect(try await Self.finish(store, ids[1], .dead))
            #expect(try await store.jobs(matching: JobQuery(state: .dead)).map(\.id) == [ids[1], ids[0]])
            #expect(try await store.retryJobs(ids: [ids[0]], now: Date()) == 1)
            #expect(try await store.job(id: ids[0])?.state == .pending)
            #expect(try await store.retryJobs(ids: nil, now: Date()) == 1)
            #expect(try await store.retryJobs(ids: [], now: Date()) == 0)
            // A retried job gets its attempts again: with the count kept, a dead job retried would
            // die at its next failure, even a 429 asking to wait.
            #expect(try await store.job(id: ids[1])?.attemptCount == 0)
            #expect(try await store.attempts(forJob: ids[1]).count == 1)
            #expect(try await Self.finish(store, ids[2], .retry(at: Date().addingTimeInterval(60))))
            #expect(try await store.cancelJob(id: ids[2], now: Date()))
            #expect(try await store.job(id: ids[2])?.state == .cancelled)
            #expect(try await store.cancelJob(id: ids[2], now: Date()) == false)
            let event = try #require(try await store.job(id: ids[0])?.eventID)
            #expect(try await store.jobs(matching: JobQuery(eventID: event)).count == 3)
            #expect(try await store.jobs(matching: JobQuery(state: .pending, limit: 1)).count == 1)
            #expect(try await store.job(id: 999_999) == nil)
        }
    }

    @Test(
        "a running job is not cancelled while its lease lives (its call may be in flight); once the lease ran out it is",
        arguments: StoreFactory.all)
    func cancelRunning(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(store, path: "1", [Self.job(0)])
            let leased = try await Self.lease(store)
            #expect(leased.map(\.job.id) == ids)
            #expect(try await store.cancelJob(id: ids[0], now: Date()) == false)
            #expect(try await store.job(id: ids[0])?.state == .running)
            // The worker's result is still recorded.
            #expect(try await Self.finish(store, ids[0], .retry(at: Date())))
            #expect(try await store.attempts(forJob: ids[0]).count == 1)
            // Leased again and abandoned (its worker died): cancellable once the lease is over.
            _ = try await Self.lease(store)
            #expect(try await store.cancelJob(id: ids[0], now: Date().addingTimeInterval(30)) == false)
            #expect(try await store.cancelJob(id: ids[0], now: Date().addingTimeInterval(61)))
            #expect(try await store.job(id: ids[0])?.state == .cancelled)
        }
    }

    @Test("a dead job retried while a younger job of its subject runs waits for it", arguments: StoreFactory.all)
    func oneRunningPerSubject(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await Self.plan(store, path: "1", [Self.job(0), Self.job(1)])
            _ = try await Self.lease(store)
            #expect(try await Self.finish(store, ids[0], .dead))
            #expect(try await Self.lease(store).map(\.job.id) == [ids[1]])
            #expect(try await store.retryJobs(ids: [ids[0]], now: Date()) == 1)
            // The retried job is the oldest unfinished again, but its subject is busy.
            #expect(try await Self.lease(store).isEmpty)
            #expect(try await Self.finish(store, ids[1], .done))
            #expect(try await Self.lease(store).map(\.job.id) == [ids[0]])
        }
    }

    @Test(
        "leasing records the job's effects: a matching event is self-caused one hop further",
        arguments: StoreFactory.all)
    func loopGuard(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let effect = ExpectedEffect(
                subject: "artifact:libs-release-local/a.jar", kind: "artifact_property.added", detail: "qa.status")
            try await Self.plan(store, path: "x", [Self.job(0, subject: effect.subject, effects: [effect])])
            let now = Date()
            _ = try await store.leaseJobs(
                owner: "w1", limit: 5, now: now, leaseDuration: .seconds(60), effectWindow: .seconds(60))
            func property(_ key: String, at date: Date) throws -> NewEvent {
                try delivery(
                    #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"a.jar","name":"a.jar","property_key":"\#(key)","property_values":["v"]}}"#,
                    at: date)
            }
            let caused = try await store.insert(try property("qa.status", at: now), dedupWindow: .zero)
            let stored = try #require(try await store.event(id: caused.eventID))
            #expect(stored.selfCaused)
            #expect(stored.hop == 1)
            let other = try await store.insert(try property("other", at: now), dedupWindow: .zero)
            #expect(try await store.event(id: other.eventID)?.selfCaused == false)
            let late = try await store.insert(
                try property("qa.status", at: now.addingTimeInterval(61)), dedupWindow: .zero)
            #expect(try await store.event(id: late.eventID)?.selfCaused == false)
        }
    }

    @Test("migrating twice is harmless and the schema version is reported", arguments: StoreFactory.all)
    func schemaVersions(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            try await store.migrate()
            let versions = try await store.schemaVersions()
            #expect(versions.first == "v1-events")
            #expect(versions.contains("v2-jobs"))
        }
    }
}

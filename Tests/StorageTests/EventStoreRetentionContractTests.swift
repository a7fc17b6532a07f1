import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: retention, status and deferred planning")
struct EventStoreRetentionContractTests {
    static let old = Date().addingTimeInterval(-40 * 86_400)
    static let cutoff = Date().addingTimeInterval(-30 * 86_400)

    /// Stores an event received at `date` with `jobs` jobs on subject `path`, and returns its id.
    static func event(_ store: any EventStore, path: String, at date: Date, jobs: Int = 1) async throws -> Int64 {
        try await store.insert(try delivery(artifactBody(path: path), at: date), dedupWindow: .seconds(60)) {
            _, _ in
            EventPlan(
                jobs: (0..<jobs).map { EventStorePlanContractTests.job("tag", $0, subject: "artifact:r/\(path)") })
        }.eventID
    }

    /// Runs every due job once, finishing it as `next` says.
    static func finishAll(_ store: any EventStore, _ next: JobAttempt.Next) async throws {
        while true {
            let leased = try await store.leaseJobs(
                owner: "w", limit: 100, now: Date(), leaseDuration: .seconds(30), effectWindow: .seconds(30))
            if leased.isEmpty { return }
            for lease in leased {
                let attempt = JobAttempt(
                    jobID: lease.job.id, startedAt: Date(), duration: .milliseconds(3), httpStatus: 200, message: nil,
                    next: next)
                #expect(try await store.finishAttempt(attempt, owner: "w"))
            }
        }
    }

    @Test(
        "prune deletes old settled events with their jobs and attempts, and keeps the rest", arguments: StoreFactory.all
    )
    func pruneSettled(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let done = try await Self.event(store, path: "done", at: Self.old, jobs: 2)
            try await Self.finishAll(store, .done)
            let noJobs = try await Self.event(store, path: "nojobs", at: Self.old, jobs: 0)
            let cancelled = try await Self.event(store, path: "cancelled", at: Self.old)
            for job in try await store.jobs(forEvent: cancelled) {
                _ = try await store.cancelJob(id: job.id, now: Date())
            }
            let dead = try await Self.event(store, path: "dead", at: Self.old)
            try await Self.finishAll(store, .dead)
            let pending = try await Self.event(store, path: "pending", at: Self.old)
            let recent = try await Self.event(store, path: "recent", at: Date(), jobs: 0)

            let preview = try await store.prunableEvents(receivedBefore: Self.cutoff)
            #expect(preview == PruneCount(events: 3, jobs: 3, attempts: 2))
            let pruned = try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 100)
            #expect(pruned == preview)

            for gone in [done, noJobs, cancelled] { #expect(try await store.event(id: gone) == nil) }
            for kept in [dead, pending, recent] { #expect(try await store.event(id: kept) != nil) }
            #expect(try await store.jobs(forEvent: done).isEmpty)
            #expect(try await store.jobs(forEvent: dead).map(\.state) == [.dead])
            #expect(try await store.prunableEvents(receivedBefore: Self.cutoff) == PruneCount())
        }
    }

    @Test("prune works in batches of at most `limit`, oldest first", arguments: StoreFactory.all)
    func pruneBatches(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            var ids: [Int64] = []
            for index in 0..<7 {
                ids.append(
                    try await Self.event(
                        store, path: "p\(index)", at: Self.old.addingTimeInterval(Double(index)), jobs: 0))
            }
            #expect(try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 3).events == 3)
            #expect(try await store.event(id: ids[0]) == nil)
            #expect(try await store.event(id: ids[3]) != nil)
            #expect(try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 3).events == 3)
            #expect(try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 3).events == 1)
            #expect(try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 3).events == 0)
        }
    }

    @Test(
        "an original stays while a duplicate of it stays, so the duplicate never passes for an original",
        arguments: StoreFactory.all)
    func prunedOriginal(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let original = try await store.insert(
                try delivery(artifactBody(path: "a"), at: Self.old), dedupWindow: .seconds(60))
            let repeated = try await store.insert(
                try delivery(artifactBody(path: "a"), at: Date()), dedupWindow: .seconds(86_400 * 365))
            #expect(repeated.duplicateOf == original.eventID)
            #expect(try await store.prunableEvents(receivedBefore: Self.cutoff).events == 0)
            #expect(try await store.pruneEvents(receivedBefore: Self.cutoff, limit: 10).events == 0)
            #expect(try await store.event(id: repeated.eventID)?.duplicateOf == original.eventID)
            // Once the duplicate is old enough to go too, both go.
            #expect(try await store.pruneEvents(receivedBefore: Date().addingTimeInterval(60), limit: 10).events == 2)
            #expect(try await store.event(id: original.eventID) == nil)
        }
    }

    @Test("a deferred plan marks the event; addPlan plans it and clears the mark", arguments: StoreFactory.all)
    func deferred(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let first = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60)) {
                _, _ in .deferred
            }
            let second = try await store.insert(try delivery(artifactBody(path: "b")), dedupWindow: .seconds(60)) {
                _, _ in .deferred
            }
            #expect(first.planned == 0)
            #expect(try await store.jobs(forEvent: first.eventID).isEmpty)
            #expect(try await store.deferredEvents(limit: 10).map(\.id) == [first.eventID, second.eventID])
            #expect(try await store.deferredEvents(limit: 1).map(\.id) == [first.eventID])
            #expect(try await store.status(since: Self.cutoff).deferredEvents == 2)
            // A deferred event is never pruned: it has not been planned yet.
            #expect(try await store.prunableEvents(receivedBefore: Date().addingTimeInterval(60)).events == 0)

            let planned = try await store.addPlan(
                EventPlan(jobs: [EventStorePlanContractTests.job("tag", 0)]), toEvent: first.eventID, origin: .ingest)
            #expect(planned == 1)
            #expect(try await store.jobs(forEvent: first.eventID).map(\.origin) == [.ingest])
            #expect(try await store.deferredEvents(limit: 10).map(\.id) == [second.eventID])
            _ = try await store.addPlan(.empty, toEvent: second.eventID, origin: .ingest)
            #expect(try await store.deferredEvents(limit: 10).isEmpty)
        }
    }

    @Test(
        "status counts recent events by kind, duplicates, jobs by state and the oldest unfinished job",
        arguments: StoreFactory.all)
    func status(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Self.event(store, path: "old", at: Self.old, jobs: 0)
            let first = try await Self.event(store, path: "a", at: Date(), jobs: 2)
            _ = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .seconds(60))
            _ = try await store.insert(
                try delivery(artifactBody(path: "x", type: "deleted")), dedupWindow: .seconds(60))
            let jobs = try await store.jobs(forEvent: first)
            _ = try await store.cancelJob(id: jobs[1].id, now: Date())

            let status = try await store.status(since: Date().addingTimeInterval(-3600))
            #expect(status.eventsByKind == ["artifact.deployed": 1, "artifact.deleted": 1])
            #expect(status.duplicates == 1)
            #expect(status.jobsByState == [.pending: 1, .cancelled: 1])
            #expect(status.oldestUnfinishedJob?.id == jobs[0].id)
            #expect(status.totalEvents == 4)
            #expect(status.deadLetters == 0)
            #expect(try await store.jobCounts() == [.pending: 1, .cancelled: 1])
        }
    }
}

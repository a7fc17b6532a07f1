import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: fan-out expansions")
struct EventStoreExpansionContractTests {
    typealias Jobs = EventStoreJobContractTests

    static func expansion() -> NewJob {
        NewJob(
            rule: "fan", actionIndex: 0, kind: NewJob.expansionKind, subject: "build:app#1",
            request: #"{"method":"POST"}"#)
    }

    static func child(_ name: String) -> NewJob {
        var job = NewJob(
            rule: "fan", actionIndex: 0, kind: "set_properties", subject: "artifact:r/\(name)",
            request: #"{"method":"PUT"}"#,
            effects: [ExpectedEffect(subject: "artifact:r/\(name)", kind: "artifact_property.added", detail: "k")])
        job.expansionKey = "r/" + name
        return job
    }

    static func page(
        _ jobID: Int64, _ names: [String], next: Int, found: Int? = 4, finish: JobAttempt.Next? = nil
    ) -> ExpansionPage {
        ExpansionPage(
            jobID: jobID, children: names.map(child), progress: ExpansionProgress(nextOffset: next, found: found),
            now: Date(), leaseExpiresAt: Date().addingTimeInterval(60),
            finish: finish.map {
                JobAttempt(
                    jobID: jobID, startedAt: Date(), duration: .milliseconds(3), httpStatus: 200, message: "4 items",
                    next: $0)
            })
    }

    @Test(
        "a page written again after a lost lease inserts no child twice, and the expansion resumes from its progress",
        arguments: StoreFactory.all)
    func resumeCreatesNoDuplicate(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            // Given an expansion leased by w1 that wrote its first page of two children…
            let ids = try await Jobs.plan(store, path: "1", [Self.expansion()])
            let parent = try #require(ids.first)
            #expect(try await Jobs.lease(store, "w1").map(\.job.id) == [parent])
            #expect(try await store.expansionProgress(jobID: parent) == nil)
            #expect(try await store.recordExpansionPage(Self.page(parent, ["a", "b"], next: 2), owner: "w1"))
            #expect(try await store.expansionProgress(jobID: parent) == ExpansionProgress(nextOffset: 2, found: 4))
            let event = try #require(try await store.job(id: parent)).eventID
            #expect(try await store.jobs(forEvent: event).count == 3)

            // …when w1 dies and its lease runs out, w2 takes the expansion over; w1 can write no more.
            let later = Date().addingTimeInterval(120)
            let taken = try await store.leaseJobs(
                owner: "w2", limit: 1, now: later, leaseDuration: .seconds(60), effectWindow: .seconds(60))
            #expect(taken.map(\.job.id) == [parent])
            #expect(try await !store.recordExpansionPage(Self.page(parent, ["z"], next: 3), owner: "w1"))

            // w2 repeats page 1 (the progress may be older than what committed) and writes the last page.
            #expect(try await store.recordExpansionPage(Self.page(parent, ["a", "b"], next: 2), owner: "w2"))
            #expect(
                try await store.recordExpansionPage(Self.page(parent, ["c", "d"], next: 4, finish: .done), owner: "w2"))

            // Then each item has one child, all of the expansion's event, and the expansion is done.
            let jobs = try await store.jobs(forEvent: event)
            let children = jobs.filter { $0.kind == "set_properties" }
            #expect(
                children.map(\.subject).sorted() == ["artifact:r/a", "artifact:r/b", "artifact:r/c", "artifact:r/d"])
            #expect(try await store.job(id: parent)?.state == .done)
            #expect(try await store.attempts(forJob: parent).map(\.outcome) == ["success"])
            #expect(try await store.jobCounts()[.pending] == 4)
            #expect(try await store.jobCounts()[.running, default: 0] == 0)
        }
    }

    @Test("a dead expansion records its message and inserts nothing", arguments: StoreFactory.all)
    func deadExpansion(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let parent = try #require(try await Jobs.plan(store, path: "1", [Self.expansion()]).first)
            _ = try await Jobs.lease(store, "w1")
            #expect(
                try await store.recordExpansionPage(
                    Self.page(parent, [], next: 0, found: 25, finish: .dead), owner: "w1"))
            let job = try #require(try await store.job(id: parent))
            #expect(job.state == .dead)
            #expect(job.lastError == "4 items")
            #expect(try await store.jobs(forEvent: job.eventID).count == 1)
        }
    }
}

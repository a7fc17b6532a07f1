import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("EventStore contract: leasing by subject (outbound targets' own workers)")
struct EventStoreSubjectFilterContractTests {
    static func job(_ index: Int, subject: String) -> NewJob {
        NewJob(
            rule: "r", actionIndex: index, kind: subject.hasPrefix("target:") ? "http" : "set_properties",
            subject: subject, request: #"{"method":"POST"}"#, effects: [], shadow: false)
    }

    static func lease(_ store: any EventStore, _ subjects: SubjectFilter, owner: String) async throws -> [String] {
        try await store.leaseJobs(
            owner: owner, limit: 100, now: Date().addingTimeInterval(1), leaseDuration: .seconds(60),
            effectWindow: .seconds(60), subjects: subjects
        ).map(\.job.subject).sorted()
    }

    @Test(
        "each target's worker leases only its jobs, the Artifactory worker every other one",
        arguments: StoreFactory.all)
    func leasesBySubject(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let subjects = [
                "artifact:r/a", "target:chat|artifact:r/a", "target:chat_x|build:b#1", "target:ci|build:b#1",
                "build:b#1", "target:bücher|artifact:r/b",
            ]
            _ = try await store.insert(try delivery(artifactBody(path: "a"), at: Date()), dedupWindow: .zero) { _, _ in
                EventPlan(jobs: subjects.enumerated().map { Self.job($0.offset, subject: $0.element) })
            }
            // A name that is a prefix of another's, or holds LIKE's `_`, takes only its own.
            #expect(try await Self.lease(store, .target("chat"), owner: "chat") == ["target:chat|artifact:r/a"])
            #expect(try await Self.lease(store, .target("chat_x"), owner: "chat_x") == ["target:chat_x|build:b#1"])
            #expect(try await Self.lease(store, .target("nobody"), owner: "n").isEmpty)
            // Both engines count a prefix in code points, not bytes.
            #expect(try await Self.lease(store, .target("bücher"), owner: "b") == ["target:bücher|artifact:r/b"])
            #expect(try await Self.lease(store, .notTargets, owner: "art") == ["artifact:r/a", "build:b#1"])
            #expect(try await Self.lease(store, .all, owner: "all") == ["target:ci|build:b#1"])
        }
    }

    @Test(
        "unfinished jobs are counted per target; finished ones and other subjects are not", arguments: StoreFactory.all)
    func unfinishedJobsByTarget(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let subjects = [
                "artifact:r/a", "target:chat|artifact:r/a", "target:chat|artifact:r/b", "target:bücher|build:b#1",
                "target:ci|build:b#1", "target:|broken", "target:no-bar",
            ]
            _ = try await store.insert(try delivery(artifactBody(path: "a"), at: Date()), dedupWindow: .zero) { _, _ in
                EventPlan(jobs: subjects.enumerated().map { Self.job($0.offset, subject: $0.element) })
            }
            #expect(try await store.unfinishedJobsByTarget() == ["chat": 2, "bücher": 1, "ci": 1])
            // A running job still counts; a done one no longer does.
            let leased = try await store.leaseJobs(
                owner: "ci", limit: 10, now: Date().addingTimeInterval(1), leaseDuration: .seconds(60),
                effectWindow: .seconds(60), subjects: .target("ci"))
            let ci = try #require(leased.first?.job.id)
            #expect(try await store.unfinishedJobsByTarget()["ci"] == 1)
            _ = try await store.finishAttempt(
                JobAttempt(
                    jobID: ci, startedAt: Date(), duration: .milliseconds(1), httpStatus: 200, message: nil, next: .done
                ),
                owner: "ci")
            #expect(try await store.unfinishedJobsByTarget() == ["chat": 2, "bücher": 1])
        }
    }
}

import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite("Shadow jobs on the command line: jobs list, retry, cancel", .timeLimit(.minutes(2)))
struct ShadowCommandTests {
    /// A store holding one event with a shadow job and a dead job; returns their ids.
    static func seed(_ daemon: TestDaemon) async throws -> (shadow: Int64, dead: Int64) {
        let store = try await daemon.openStore()
        let body = Array(DeliveryHarness.deployed("com/acme/a.jar").utf8)
        let new = NewEvent(
            receivedAt: Date(), endpoint: "main", event: try WebhookEvent(body: body), body: body, sourceAddress: nil)
        let jobs = [
            NewJob(
                rule: "trial", actionIndex: 0, kind: "delete", subject: "artifact:libs/a", request: "{}", shadow: true),
            NewJob(rule: "live", actionIndex: 0, kind: "delete", subject: "artifact:libs/b", request: "{}"),
        ]
        let event = try await store.insert(new, dedupWindow: .zero) { _, _ in EventPlan(jobs: jobs) }.eventID
        let ids = try await store.jobs(forEvent: event).map(\.id)
        let leased = try await store.leaseJobs(
            owner: "w", limit: 10, now: Date(), leaseDuration: .seconds(30), effectWindow: .seconds(30))
        #expect(leased.map(\.job.id) == [ids[1]])
        _ = try await store.finishAttempt(
            JobAttempt(
                jobID: ids[1], startedAt: Date(), duration: .zero, httpStatus: 404, message: "gone", next: .dead),
            owner: "w")
        try await store.close()
        return (ids[0], ids[1])
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    @Test("jobs retry refuses a shadow job by name and retries the others; --dead leaves shadow jobs alone")
    func retryRefused() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let (shadow, dead) = try await Self.seed(daemon)

        let alone = try await Self.run(["jobs", "retry", "--config", daemon.configPath, "\(shadow)"])
        #expect(alone.status == 1)
        #expect(alone.output.contains("Refused: job(s) \(shadow) were recorded in shadow mode and are never sent"))
        #expect(alone.output.contains("0 job(s) will run again"))

        let both = try await Self.run(["jobs", "retry", "--config", daemon.configPath, "\(shadow)", "\(dead)"])
        #expect(both.status == 1)
        #expect(both.output.contains("Refused: job(s) \(shadow)"))
        #expect(both.output.contains("1 job(s) will run again"))
        #expect(!both.output.contains("Some ids were not dead or failed"))

        let all = try await Self.run(["jobs", "retry", "--config", daemon.configPath, "--dead"])
        #expect(all.status == 0)

        let store = try await daemon.openStore()
        #expect(try await store.job(id: shadow)?.state == .shadow)
        #expect(try await store.job(id: dead)?.state == .pending)
        try await store.close()
    }

    @Test("jobs cancel says a shadow job has nothing to cancel; jobs list --state shadow lists it")
    func cancelAndList() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let (shadow, dead) = try await Self.seed(daemon)

        let cancel = try await Self.run(["jobs", "cancel", "--config", daemon.configPath, "\(shadow)"])
        #expect(cancel.status == 1)
        #expect(
            cancel.output.contains("Job \(shadow) was recorded in shadow mode: it is never sent"), "\(cancel.output)")

        let list = try await Self.run(["jobs", "list", "--config", daemon.configPath, "--state", "shadow"])
        #expect(list.status == 0)
        let rows = list.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { $0.first } == ["\(shadow)"], "\(list.output)")
        #expect(rows.first?[2] == "shadow")
        #expect(rows.first?[4] == "trial")
        #expect(!rows.contains { $0.first == "\(dead)" })
    }
}

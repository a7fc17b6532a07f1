import ArtifactorySimulator
import Foundation
import HooksTestSupport
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Faults {
    @Suite("Faults: Artifactory unreachable under a steady load", .serialized, .timeLimit(.minutes(15)))
    struct ArtifactoryOutage {
        /// How long Artifactory stays unreachable: `ARTIFACTORY_HOOKS_FAULT_OUTAGE_SECONDS`, 20 s
        /// by default (the 10 minutes is `600`, run by hand).
        static var outage: Duration {
            let seconds = ProcessInfo.processInfo.environment["ARTIFACTORY_HOOKS_FAULT_OUTAGE_SECONDS"].flatMap(
                Int.init)
            return .seconds(seconds ?? 20)
        }

        /// The resident memory of process `pid` in KiB (`VmRSS` of /proc/PID/status).
        static func residentKiB(_ pid: pid_t) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
            else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }

        /// Waits until no job is unfinished and no event waits to be planned, up to `timeout`;
        /// returns how many still are (0 when all settled).
        static func waitUntilSettled(_ store: SQLiteEventStore, timeout: Duration) async throws -> Int {
            let deadline = ContinuousClock.now + timeout
            while true {
                let unfinished = StoredJob.State.unfinishedCount(try await store.jobCounts())
                let deferred = try await store.deferredEvents(limit: 1000).count
                if unfinished + deferred == 0 || ContinuousClock.now >= deadline { return unfinished + deferred }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// About ten of `samples` (KiB), evenly spaced with the last, in MiB: RSS over the outage.
        static func series(_ samples: [Int]) -> String {
            guard !samples.isEmpty else { return "[]" }
            let step = max(1, samples.count / 10)
            let picked = stride(from: 0, to: samples.count, by: step).map { samples[$0] } + [samples[samples.count - 1]]
            return "[" + picked.map { String(format: "%.1f", Double($0) / 1024) }.joined(separator: ",") + "]"
        }

        static let rules = """
            rules:
              - name: stamp
                on: artifact.deployed
                do:
                  - set_properties: { stamp: "{{ data.name }}" }

            """

        @Test("every call fails for a while: the backlog waits in the store, memory stays flat, all jobs finish")
        func artifactoryDown() async throws {
            let outage = Self.outage
            // About 20 events a second, for the outage and a margin before and after.
            let capacity = Int(outage.components.seconds) * 25 + 2_000
            let simulator = ArtifactorySimulator(
                configuration: .init(tokens: [DeliveryHarness.token], repositories: ["libs-release-local"]))
            for index in 0..<capacity {
                try simulator.state.addFile(repo: "libs-release-local", path: "fault/artifactory-down/\(index).jar")
            }
            try await simulator.withRunning { baseURL in
                let daemon = try TestDaemon.callingArtifactory(
                    at: baseURL, rules: Self.rules,
                    worker: "concurrency: 8\nmax_attempts: 100000\nbackoff_base: 100ms\nbackoff_max: 2s",
                    token: DeliveryHarness.token, callTimeout: "5s")
                defer { daemon.directory.remove() }
                let process = try DaemonProcess(["serve", "--config", daemon.configPath])
                let port = try await process.waitUntilListening()
                let pid = process.process.processIdentifier
                let load = FaultLoad(port: port, name: "artifactory-down")
                let store = try await daemon.openStore()

                // Given a steady load that Artifactory keeps up with…
                for _ in 0..<100 { await load.deliver() }
                #expect(try await store.waitForUnfinishedJobs(timeout: .seconds(30)) == 0)
                let before = try #require(Self.residentKiB(pid))

                // When every call fails (the connection is dropped) for the outage, the load goes on.
                simulator.state.injectFault(.dropConnection, times: 100_000_000)
                let started = ContinuousClock.now
                var samples: [Int] = []
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        await load.run(clients: 1, limit: capacity - 200, pause: .milliseconds(50)) {
                            ContinuousClock.now - started >= outage
                        }
                    }
                    while ContinuousClock.now - started < outage {
                        if let kib = Self.residentKiB(pid) { samples.append(kib) }
                        try await Task.sleep(for: .seconds(1))
                    }
                    try await group.waitForAll()
                }
                // Then the backlog is in the store, not in memory.
                let backlog = StoredJob.State.unfinishedCount(try await store.jobCounts())
                // Past worker.max_pending, events are stored without being planned (backpressure).
                let deferred = try await store.deferredEvents(limit: 100_000).count
                let during = load.figures.acknowledged.count - 100
                #expect(
                    backlog + deferred >= during / 2,
                    "backlog \(backlog) + \(deferred) for \(during) events acknowledged during the outage")
                #expect(load.figures.refused.isEmpty && load.figures.other.isEmpty, "\(load.figures.other.prefix(3))")
                let peak = samples.max() ?? before
                #expect(peak - before < 64 << 10, "RSS grew from \(before) KiB to \(peak) KiB")

                // When Artifactory answers again, every job finishes.
                simulator.state.clearFaults()
                let returned = ContinuousClock.now
                let unfinished = try await Self.waitUntilSettled(
                    store, timeout: .seconds(max(120, (backlog + deferred) / 20)))
                let recovery = ContinuousClock.now - returned
                #expect(unfinished == 0, "jobs unfinished or events unplanned")
                let counts = try await store.jobCounts()
                #expect((counts[.dead] ?? 0) == 0, "\(counts)")
                try await store.close()

                process.send(SIGTERM)
                #expect(try await process.waitForExit() == 0)
                let stored = try await daemon.storedEvents()
                let lost = load.lost(in: stored)
                #expect(lost.isEmpty)
                // Each acknowledged event's property is set at Artifactory.
                let unstamped = load.figures.acknowledged.keys.filter {
                    simulator.state.item(repo: "libs-release-local", path: $0)?.properties["stamp"] == nil
                }
                #expect(unstamped.isEmpty, "not stamped: \(unstamped.prefix(5))")
                _ = load.report(
                    "artifactory-down", lost: lost.count, recovery: recovery,
                    extra:
                        "outage=\(outage) backlog=\(backlog) deferred=\(deferred) rss_before=\(before)KiB rss_first=\(samples.first ?? 0)KiB rss_peak=\(peak)KiB rss_last=\(samples.last ?? 0)KiB"
                        + " rss_series_MiB=\(Self.series(samples))"
                )
            }
        }
    }
}

import Foundation
import HooksTestSupport
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Faults {
    @Suite(
        "Faults: the store's disk fills up", .serialized, .timeLimit(.minutes(2)),
        .enabled(if: ScratchMount.available, "needs root to mount a size-limited tmpfs as the store's folder"))
    struct DiskFull {
        @Test("a full disk: 503 with Retry-After, /readyz says why, nothing half-written; freed space reopens")
        func diskFills() async throws {
            // Given the daemon's store on a small tmpfs of its own…
            let daemon = try TestDaemon()
            let mount = try ScratchMount(at: daemon.directory.path("var"), kibibytes: 16 << 10)
            defer {
                mount.unmount()
                daemon.directory.remove()
            }
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            let port = try await process.waitUntilListening()
            let load = FaultLoad(port: port, name: "disk-full")
            for _ in 0..<100 { await load.deliver() }
            #expect(load.figures.acknowledged.count == 100, "\(load.figures.other.prefix(3))")

            // When the file system fills up under four senders…
            try mount.fill("filler")
            await load.run(clients: 4, limit: 5_000) { load.figures.refused.count >= 50 }

            // Then deliveries are refused with 503 and Retry-After, never acknowledged unstored…
            let during = load.figures
            #expect(during.refused.count >= 50, "refused \(during.refused.count) of \(during.sent)")
            #expect(during.refusedWithoutRetryAfter == 0)
            #expect(during.refusalCodes == ["store_unavailable"])
            #expect(during.other.isEmpty, "\(during.other.prefix(3))")
            // …and /readyz says why.
            let notReady = try await load.waitForReadyz { status, _ in status == 503 }
            #expect(notReady.status == 503)
            #expect(notReady.body.contains("database or disk is full"), "\(notReady.body)")

            // When space is freed, the same process takes deliveries again.
            try FileManager.default.removeItem(atPath: mount.path + "/filler")
            let freed = ContinuousClock.now
            #expect(try await load.deliverUntilAcknowledged() != nil, "nothing acknowledged after space was freed")
            let recovery = load.recovery(since: freed)
            #expect(try await load.waitForReadyz { status, _ in status == 200 }.status == 200)
            for _ in 0..<50 { await load.deliver() }

            process.send(SIGTERM)
            #expect(try await process.waitForExit() == 0)
            // Every acknowledged event is stored under its id; no refused one is; the file is sound.
            let stored = try await daemon.storedEvents()
            let lost = load.lost(in: stored)
            #expect(lost.isEmpty, "acknowledged but not stored: \(lost.prefix(10))")
            let storedPaths = Set(stored.compactMap(\.path))
            #expect(storedPaths.isDisjoint(with: load.figures.refused), "a refused event was stored")
            #expect(try await Faults.integrityCheck(daemon.databasePath) == "ok")
            _ = load.report("disk-full", lost: lost.count, recovery: recovery)
        }
    }
}

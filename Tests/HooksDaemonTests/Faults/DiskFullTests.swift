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
            let (process, load) = try await FaultLoad.started(daemon, name: "disk-full")

            // When the file system fills up under four senders…
            try mount.fill("filler")
            await load.run(clients: 4, limit: 5_000) { load.figures.refused.count >= 50 }

            // Then deliveries are refused with 503 and Retry-After, and /readyz says why.
            try await load.expectRefused(readyzSays: "database or disk is full")
            #expect(load.figures.refusalCodes == ["store_unavailable"])

            // When space is freed, the same process takes deliveries again.
            try FileManager.default.removeItem(atPath: mount.path + "/filler")
            let freed = ContinuousClock.now
            #expect(try await load.deliverUntilAcknowledged() != nil, "nothing acknowledged after space was freed")
            let recovery = load.recovery(since: freed)
            #expect(try await load.waitForReadyz { status, _ in status == 200 }.status == 200)
            for _ in 0..<50 { await load.deliver() }

            // Every acknowledged event is stored under its id; no refused one is; the file is sound.
            try await load.expectNothingLost(stopping: process, of: daemon, recovery: recovery)
        }
    }
}

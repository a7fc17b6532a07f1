import Foundation
import HooksTestSupport
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Faults {
    @Suite("Faults: the store file turns read-only or its folder is removed", .serialized, .timeLimit(.minutes(2)))
    struct StoreFile {
        /// Runs `chattr FLAG PATHS`; false when the file system does not take the flag.
        static func chattr(_ flag: String, _ paths: [String]) throws -> Bool {
            let process = try ChildProcess(executable: "/usr/bin/chattr", arguments: [flag] + paths)
            return process.waitUntilExit() == .exit(0)
        }

        @Test(
            "a read-only store file: 503 with Retry-After, /readyz says why; writable again, it takes deliveries",
            .enabled(if: ScratchMount.available, "needs root to make the store file immutable (chattr +i)"))
        func readOnly() async throws {
            let daemon = try TestDaemon()
            defer { daemon.directory.remove() }
            let (process, load) = try await FaultLoad.started(daemon, name: "read-only")

            // When the store file and its log turn read-only (immutable: even root cannot write)…
            let files = [daemon.databasePath, daemon.databasePath + "-wal"]
            guard try Self.chattr("+i", files) else {
                print("FAULT read-only: skipped, the temporary folder's file system has no immutable flag")
                return
            }
            defer { _ = try? Self.chattr("-i", files) }
            await load.run(clients: 4, limit: 2_000) { load.figures.refused.count >= 50 }

            // Then every delivery is refused with 503 and Retry-After, and /readyz says why.
            try await load.expectRefused(readyzSays: "does not accept writes: disk I/O error")

            // When the file is writable again, the same process takes deliveries.
            #expect(try Self.chattr("-i", files))
            let mended = ContinuousClock.now
            #expect(try await load.deliverUntilAcknowledged() != nil, "nothing acknowledged once writable again")
            let recovery = load.recovery(since: mended)
            #expect(try await load.waitForReadyz { status, _ in status == 200 }.status == 200)
            for _ in 0..<50 { await load.deliver() }

            try await load.expectNothingLost(stopping: process, of: daemon, recovery: recovery)
        }

        @Test("the store's folder removed: no delivery is acknowledged into the removed file; the file comes back")
        func folderRemoved() async throws {
            let daemon = try TestDaemon()
            defer { daemon.directory.remove() }
            let (process, load) = try await FaultLoad.started(daemon, name: "folder-removed")

            // When the folder of the store is removed with everything in it, under load…
            let folder = daemon.directory.path("var")
            try FileManager.default.removeItem(atPath: folder)
            let removedAt = ContinuousClock.now
            await load.run(clients: 4, limit: 300) { false }

            // Then what was refused got 503 with Retry-After, and the daemon put the file back
            // with everything it held, and goes on with it.
            let after = load.figures
            #expect(after.refusedWithoutRetryAfter == 0)
            #expect(after.other.isEmpty, "\(after.other.prefix(3))")
            #expect(FileManager.default.fileExists(atPath: daemon.databasePath))
            #expect(try await load.deliverUntilAcknowledged() != nil)
            let recovery = load.recovery(since: removedAt)
            #expect(try await load.waitForReadyz { status, _ in status == 200 }.status == 200)

            // Every acknowledged event, before and after the removal, is in the file at the path.
            try await load.expectNothingLost(stopping: process, of: daemon, recovery: recovery)
        }
    }
}

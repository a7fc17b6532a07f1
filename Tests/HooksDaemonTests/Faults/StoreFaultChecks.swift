import Foundation
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The parts every fault of the SQLite store shares: a daemon taking deliveries before, refusals
/// while the fault lasts, and a store that lost nothing after.
extension FaultLoad {
    /// Starts `daemon` and sends 100 events, each of which must be acknowledged: the running
    /// process and the load that sends to it (events under `fault/NAME/`).
    static func started(_ daemon: TestDaemon, name: String) async throws -> (DaemonProcess, FaultLoad) {
        let process = try DaemonProcess(["serve", "--config", daemon.configPath])
        let load = FaultLoad(port: try await process.waitUntilListening(), name: name)
        for _ in 0..<100 { await load.deliver() }
        #expect(load.figures.acknowledged.count == 100, "\(load.figures.other.prefix(3))")
        return (process, load)
    }

    /// Checks the fault as a sender sees it: at least 50 deliveries refused, each with 503 and
    /// `Retry-After`, no other answer, and `/readyz` answering 503 with `reason` in its body.
    func expectRefused(readyzSays reason: String) async throws {
        let during = figures
        #expect(during.refused.count >= 50, "refused \(during.refused.count) of \(during.sent)")
        #expect(during.refusedWithoutRetryAfter == 0)
        #expect(during.other.isEmpty, "\(during.other.prefix(3))")
        let notReady = try await waitForReadyz { status, _ in status == 503 }
        #expect(notReady.status == 503)
        #expect(notReady.body.contains(reason), "\(notReady.body)")
    }

    /// Stops `process` as systemd does, then checks `daemon`'s store: every acknowledged event is
    /// there under its id, no refused one is, and the file passes SQLite's integrity check. Prints
    /// the figures line of docs/reliability.md, with `recovery`.
    func expectNothingLost(stopping process: DaemonProcess, of daemon: TestDaemon, recovery: Duration?) async throws {
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        let stored = try await daemon.storedEvents()
        let lost = lost(in: stored)
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost.count), e.g. \(lost.prefix(10))")
        #expect(Set(stored.compactMap(\.path)).isDisjoint(with: figures.refused), "a refused event was stored")
        #expect(try await Faults.integrityCheck(daemon.databasePath) == "ok")
        _ = report(name, lost: lost.count, recovery: recovery)
    }
}

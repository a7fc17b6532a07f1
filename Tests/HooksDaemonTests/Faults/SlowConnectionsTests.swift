import Foundation
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Faults {
    @Suite("Faults: 10,000 slow or half-open connections", .serialized, .timeLimit(.minutes(3)))
    struct SlowConnections {
        @Test("while 10,000 connections stall, signed deliveries get 202 in bounded time and /healthz answers")
        func flood() async throws {
            let daemon = try TestDaemon()
            defer { daemon.directory.remove() }
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            let port = try await process.waitUntilListening()
            let adminPort = try await process.waitForAdminPort()

            // Given 10,000 connections that never finish a request…
            let flood = try await ChildHeldConnections(port: port, count: 10_000, stalled: true, connectTimeout: 1)
            #expect(flood.count >= 9_000, "only \(flood.count) connections were made")

            // …signed deliveries, each on a new connection, are still taken, in bounded time.
            var latencies: [Duration] = []
            var statuses: [Int: Int] = [:]
            for _ in 0..<100 {
                let started = ContinuousClock.now
                let status = (try? await ConnectionCapTests.deliver(port: port)) ?? 0
                latencies.append(ContinuousClock.now - started)
                statuses[status, default: 0] += 1
            }
            #expect(statuses == [202: 100], "\(statuses)")
            latencies.sort()
            let median = latencies[latencies.count / 2]
            let worst = latencies.last ?? .zero
            #expect(worst < .seconds(3), "slowest delivery took \(worst)")
            #expect(try await ConnectionCapTests.fetch(port: adminPort, "/healthz").status == 200)
            let metrics = MetricsText(try await ConnectionCapTests.fetch(port: adminPort, "/metrics").body)
            let open = metrics.value("artifactory_hooks_connections_open", ["listener": "ingest"]) ?? -1
            let shed = metrics.value("artifactory_hooks_connections_shed_total", ["listener": "ingest"]) ?? -1
            #expect(open <= 512, "open connections \(open) over ingest.max_connections")
            try await flood.close()
            process.send(SIGTERM)
            #expect(try await process.waitForExit() == 0)
            // Each acknowledged delivery is stored, an event of its own (the same body each time).
            let lost = (statuses[202] ?? 0) - (try await daemon.storedEvents().count)
            #expect(lost == 0)
            print(
                "FAULT slow-connections: held=\(flood.count) sent=100 acknowledged=\(statuses[202] ?? 0) lost=\(lost) "
                    + "median=\(median) worst=\(worst) open=\(Int(open)) shed=\(Int(shed))")
        }
    }
}

import Foundation
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Faults {
    @Suite("Faults: 10,000 slow or half-open connections", .serialized, .timeLimit(.minutes(3)))
    struct SlowConnections {
        /// Connections to 127.0.0.1:`port` held by a child process (Debian's `python3`), a third
        /// each: silent (open, nothing sent: a client gone without a FIN looks the same to the
        /// daemon), a request head that never ends, a signed-looking POST whose body stops after 10
        /// of its 1000 bytes. The test process holds none of them.
        final class Flood: Sendable {
            let count: Int
            private let process: ChildProcess

            private static let script = """
                import resource, signal, socket, sys
                port, count = int(sys.argv[1]), int(sys.argv[2])
                soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                if soft < count + 64 and (hard == resource.RLIM_INFINITY or hard >= count + 64):
                    resource.setrlimit(resource.RLIMIT_NOFILE, (count + 64, hard))
                head = b"POST /webhooks/main HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n"
                body = head + b"X-JFrog-Event-Auth: " + b"0" * 64 + b"\\r\\nContent-Length: 1000\\r\\n\\r\\n{\\"domain\\":"
                held = []
                for i in range(count):
                    s = socket.socket()
                    s.settimeout(1)
                    try:
                        s.connect(("127.0.0.1", port))
                        if i % 3 == 1: s.sendall(head)
                        if i % 3 == 2: s.sendall(body)
                        held.append(s)
                    except OSError:
                        s.close()
                print(len(held), flush=True)
                while True:
                    signal.pause()
                """

            init(port: Int, count: Int) async throws {
                let output = try ChildOutput()
                process = try ChildProcess(
                    executable: "/usr/bin/python3", arguments: ["-c", Self.script, String(port), String(count)],
                    standardOutput: output.writeHandle.fileDescriptor)
                output.childStarted()
                let deadline = ContinuousClock.now + .seconds(90)
                while !output.text.contains("\n"), process.isRunning, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                self.count = Int(output.text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            }

            func close() async throws {
                process.send(SIGTERM)
                _ = try await process.waitForExit(timeout: .seconds(10))
            }

            deinit {
                process.send(SIGKILL)
            }
        }

        @Test("while 10,000 connections stall, signed deliveries get 202 in bounded time and /healthz answers")
        func flood() async throws {
            let daemon = try TestDaemon()
            defer { daemon.directory.remove() }
            let process = try DaemonProcess(["serve", "--config", daemon.configPath])
            let port = try await process.waitUntilListening()
            let adminPort = try await process.waitForAdminPort()

            // Given 10,000 connections that never finish a request…
            let flood = try await Flood(port: port, count: 10_000)
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

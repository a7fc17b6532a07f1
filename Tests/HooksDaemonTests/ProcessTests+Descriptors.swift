import Foundation
import HooksDaemon
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ProcessTests {
    @Test(
        "under a 256-descriptor limit, thousands of idle connections on each port leave deliveries and /healthz working"
    )
    func descriptorFlood() async throws {
        // Given a daemon limited to 256 descriptors, soft and hard (its caps are lowered to fit)…
        let limit = 256
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let process = try DaemonProcess(["serve", "--config", daemon.configPath], ulimit: "-n \(limit)")
        let port = try await process.waitUntilListening()
        let adminPort = try await process.waitForAdminPort()
        #expect(process.logged("descriptors.soft", "\(limit)"), "\(process.printed)")
        #expect(process.printed.contains("Connection caps lowered"), "\(process.printed)")

        // …when clients open thousands of idle connections to each port (child processes hold them)…
        let flood = 2000
        let webhookIdle = try await ChildHeldConnections(port: port, count: flood)
        let adminIdle = try await ChildHeldConnections(port: adminPort, count: flood)
        // (A connect may time out now and then while the listener's queue is full.)
        #expect(webhookIdle.count >= flood * 9 / 10)
        #expect(adminIdle.count >= flood * 9 / 10)

        // …then signed deliveries still get 202 and /healthz answers,
        for _ in 0..<3 {
            #expect(try await ConnectionCapTests.deliver(port: port) == 202)
        }
        #expect(try await ConnectionCapTests.fetch(port: adminPort, "/healthz").status == 200)
        let metrics = MetricsText(try await ConnectionCapTests.fetch(port: adminPort, "/metrics").body)
        for listener in ["ingest", "admin"] {
            let shed = metrics.value("artifactory_hooks_connections_shed_total", ["listener": listener]) ?? 0
            #expect(shed >= Double(flood * 9 / 10 - limit), "\(listener) shed \(shed)")
            #expect(metrics.value("artifactory_hooks_connections_open", ["listener": listener]) ?? 999 < Double(limit))
        }

        // …and, the flood held, the daemon rests: it does not spin on its listening sockets.
        let before = try #require(process.cpuTime)
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(3))
        let used = try #require(process.cpuTime) - before
        let elapsed = ContinuousClock.now - started
        #expect(used < elapsed / 4, "used \(used) of CPU in \(elapsed)")
        try await webhookIdle.close()
        try await adminIdle.close()

        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }

    @Test("serve raises its soft descriptor limit to the hard one and logs both")
    func raisesDescriptorLimit() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let hard = try #require(DescriptorLimit.current()).hard
        // Started with a soft limit of 300, as systemd starts a service with 1024 whatever the hard one.
        let process = try DaemonProcess(["serve", "--config", daemon.configPath], ulimit: "-S -n 300")
        _ = try await process.waitUntilListening()
        #expect(process.logged("descriptors.soft", "\(hard)"), "\(process.printed)")
        #expect(process.logged("descriptors.hard", "\(hard)"), "\(process.printed)")
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }
}

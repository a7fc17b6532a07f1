import Foundation
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("systemd integration", .serialized, .timeLimit(.minutes(2)))
struct SystemdTests {
    @Test("the real daemon tells systemd READY, RELOADING, READY, WATCHDOG, STOPPING in that order")
    func notifyProtocol() async throws {
        // Given a daemon with a rules directory, started as systemd would: NOTIFY_SOCKET names a
        // socket the test bound, WATCHDOG_USEC asks for a ping every 200 ms.
        let daemon = try TestDaemon(extra: "rules: rules\nrules_poll_interval: 0\n")
        defer { daemon.directory.remove() }
        try daemon.directory.write("rules/tag.yml", RulesWiringTests.tagRule)
        let socket = try NotifySocket(path: daemon.directory.path("notify.sock"))
        let started = ContinuousClock.now
        let process = try DaemonProcess(
            ["serve", "--config", daemon.configPath],
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])

        // READY=1 comes once the listener answers: the port in its STATUS answers /healthz at once.
        let ready = try await socket.waitFor { $0.has("READY=1") }
        let status = try #require(socket.messages[ready].fields["STATUS"])
        #expect(status.contains("1 rule(s) loaded"))
        let port = try #require(
            status.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression).flatMap {
                Int(status[$0].split(separator: ":")[1])
            })
        let health = try await rawHTTP(
            port: port, request: "GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        #expect(health.hasPrefix("HTTP/1.1 200"))
        let firstPing = try await socket.waitFor(after: ready) { $0.has("WATCHDOG=1") }

        // When systemctl reload sends SIGHUP: RELOADING=1 with the monotonic time of the reload, then READY=1.
        let beforeReload = SystemdNotifier.monotonicMicroseconds()
        process.send(SIGHUP)
        let reloading = try await socket.waitFor(after: firstPing) { $0.has("RELOADING=1") }
        let afterReload = SystemdNotifier.monotonicMicroseconds()
        let stamp = try #require(socket.messages[reloading].fields["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect(stamp >= beforeReload && stamp <= afterReload, "MONOTONIC_USEC is CLOCK_MONOTONIC in µs")
        let reloaded = try await socket.waitFor(after: reloading) { $0.has("READY=1") }
        #expect(socket.messages[reloaded].fields["STATUS"]?.hasPrefix("Rules reloaded: 1 rule(s)") == true)

        // A reload that fails still ends in READY=1, and the status says the old rules stay; it
        // counts the errors, not the warnings beside them (a misspelt kind in another file).
        try daemon.directory.write("rules/broken.yml", "rules: [\n")
        try daemon.directory.write(
            "rules/warned.yml",
            "rules:\n  - name: typo\n    on: artifact.deployd\n    do:\n      - set_properties: { a: b }\n")
        process.send(SIGHUP)
        let failing = try await socket.waitFor(after: reloaded) { $0.has("RELOADING=1") }
        let failed = try await socket.waitFor(after: failing) { $0.has("READY=1") }
        let failedStatus = socket.messages[failed].fields["STATUS"] ?? ""
        #expect(failedStatus.contains("Rules reload failed (1 error(s))"), "\(failedStatus)")
        #expect(failedStatus.contains("the previous 1 rule(s) stay in force"))
        let lastPing = try await socket.waitFor(after: failed) { $0.has("WATCHDOG=1") }

        // Then SIGTERM: STOPPING=1, and a clean exit.
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
        let stopping = try await socket.waitFor(after: lastPing, timeout: .seconds(1)) { $0.has("STOPPING=1") }
        let kinds = socket.messages.map { message in
            ["READY=1", "RELOADING=1", "WATCHDOG=1", "STOPPING=1"].filter(message.has).joined(separator: "+")
        }
        #expect(!socket.messages[..<stopping].contains { $0.has("STOPPING=1") }, "\(kinds)")
        #expect(!socket.messages[(stopping + 1)...].contains { $0.has("READY=1") }, "\(kinds)")
        // Pings come every half watchdog timeout (200 ms), not in a burst.
        let pings = socket.messages.filter { $0.has("WATCHDOG=1") }.count
        #expect(pings <= Int((ContinuousClock.now - started) / .milliseconds(200)) + 1, "\(kinds)")
    }

    @Test("without NOTIFY_SOCKET the daemon runs as before and starts no watchdog")
    func noSocket() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let process = try DaemonProcess(
            ["serve", "--config", daemon.configPath], environment: ["WATCHDOG_USEC": "400000"])
        _ = try await process.waitUntilListening()
        #expect(!process.printed.contains("systemd watchdog on"))
        process.send(SIGTERM)
        #expect(try await process.waitForExit() == 0)
    }

    @Test("a store that stops taking writes withholds WATCHDOG=1 and says why; pings resume after")
    func unwritableStoreWithholdsWatchdog() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let socket = try NotifySocket(path: daemon.directory.path("notify.sock"))
        let lines = LogLines()
        let logger = Logger(label: "test") { label in JournalLogHandler(label: label, output: lines.output) }
        let notifier = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "100000"], logger: logger)
        let app = try await buildApplication(config: try daemon.config(), logger: logger, notifier: notifier)
        let breaker = StoreBreaker(path: daemon.databasePath)
        try await app.test(.live) { client in
            try await Self.withholdsWhileUnwritable(socket: socket, lines: lines, breaker: breaker)
            let readyz = try await client.execute(uri: "/readyz", method: .get)
            #expect(readyz.status == .ok)
        }
    }

    /// Given a running daemon pinging `socket`: breaking the store stops the pings and logs why;
    /// repairing it brings them back.
    static func withholdsWhileUnwritable(socket: NotifySocket, lines: LogLines, breaker: StoreBreaker) async throws {
        let ready = try await socket.waitFor { $0.has("READY=1") }
        _ = try await socket.waitFor(after: ready) { $0.has("WATCHDOG=1") }

        // When the database refuses writes (as a full or read-only disk would)…
        try await breaker.refuseWrites()
        try await lines.waitFor("the systemd watchdog ping is withheld")
        let refusedAt = socket.messages.count

        // …then no WATCHDOG=1 goes out for many intervals, and the log says why at error level.
        try await Task.sleep(for: .milliseconds(600))
        let pingsWhileBroken = socket.messages[refusedAt...].filter { $0.has("WATCHDOG=1") }.count
        #expect(pingsWhileBroken == 0)
        let withheld = lines.all.first { $0.contains("watchdog ping is withheld") } ?? ""
        #expect(withheld.hasPrefix("<3>"))
        #expect(withheld.contains("error="))

        // When writes work again, pings resume and the log says so.
        try await breaker.acceptWrites()
        _ = try await socket.waitFor(after: socket.messages.count - 1) { $0.has("WATCHDOG=1") }
        try await lines.waitFor("<5>The event store takes writes again")
    }
}

/// Log lines collected in memory, for asserting on what the daemon logged.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    /// An output that appends here.
    var output: LogOutput { LogOutput { line in self.lines.withLock { $0.append(line) } } }

    /// Every line so far.
    var all: [String] { lines.withLock { $0 } }

    /// Waits up to 10 s for a line containing `text`.
    func waitFor(_ text: String) async throws {
        for _ in 0..<1000 {
            if all.contains(where: { $0.contains(text) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no log line with \"\(text)\"; got: \(all)")
    }
}

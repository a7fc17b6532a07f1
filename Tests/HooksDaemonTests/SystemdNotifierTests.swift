import Foundation
import HooksDaemon
import HooksTestSupport
import Logging
import Synchronization
import Testing

@Suite("SystemdNotifier")
struct SystemdNotifierTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, only for this process and with a socket",
        arguments: [
            (["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000"], Duration?.some(.seconds(15))),
            (["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"], .some(.seconds(15))),
            (["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], nil),
            (["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "0"], nil),
            (["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "soon"], nil),
            (["NOTIFY_SOCKET": "/run/x"], nil),
            (["WATCHDOG_USEC": "30000000"], nil),
        ])
    func watchdogInterval(environment: [String: String], expected: Duration?) {
        let notifier = SystemdNotifier(environment: environment, processID: 4242, logger: Self.quiet)
        #expect(notifier.watchdogInterval == expected)
        #expect(notifier.isEnabled == (environment["NOTIFY_SOCKET"] != nil))
    }

    @Test("messages arrive as one datagram of KEY=VALUE lines; a line break cannot add a key")
    func sendsToPathSocket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = try NotifySocket(path: directory.path("notify"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path], logger: Self.quiet)
        notifier.ready(status: "Listening\nMAINPID=1")
        notifier.watchdog()
        notifier.stopping(status: "bye")
        let messages = socket.messages
        #expect(
            messages.map(\.text) == ["READY=1\nSTATUS=Listening MAINPID=1", "WATCHDOG=1", "STOPPING=1\nSTATUS=bye"])
    }

    @Test("an abstract socket (@name) works")
    func sendsToAbstractSocket() async throws {
        let name = "@artifactory-hooks-test-\(UUID().uuidString)"
        let socket = try NotifySocket(path: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name], logger: Self.quiet)
        let before = SystemdNotifier.monotonicMicroseconds()
        notifier.reloading(status: "Reloading rules (signal)")
        let message = try #require(socket.messages.first)
        #expect(message.has("RELOADING=1"))
        let stamp = try #require(message.fields["MONOTONIC_USEC"].flatMap { UInt64($0) })
        #expect(stamp >= before && stamp <= SystemdNotifier.monotonicMicroseconds())
    }

    @Test("a socket nobody listens on is logged once and never fatal")
    func failureLoggedOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lines = LogLines()
        let logger = Logger(label: "test") { label in JournalLogHandler(label: label, output: lines.output) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": directory.path("absent")], logger: logger)
        notifier.ready(status: "one")
        notifier.watchdog()
        notifier.stopping(status: "three")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.hasPrefix("<4>Could not notify systemd") == true)
        #expect(lines.all.first?.contains("No such file or directory") == true)
    }

    @Test("a manager that does not read its socket never blocks the sender", .timeLimit(.minutes(1)))
    func fullQueueDoesNotBlock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = try NotifySocket(path: directory.path("notify"))
        let lines = LogLines()
        let logger = Logger(label: "test") { label in JournalLogHandler(label: label, output: lines.output) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path], logger: logger)
        // Given a socket whose queue nobody drains, when far more pings go out than it holds…
        let done = Mutex(false)
        Thread {
            for _ in 0..<1_000 { notifier.watchdog() }
            done.withLock { $0 = true }
        }.start()
        for _ in 0..<500 where !done.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // …then every send returned at once, and the full queue was logged once.
        #expect(done.withLock { $0 }, "sendto blocked on a full notify socket")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("Resource temporarily unavailable") == true)
        #expect(!socket.messages.isEmpty)
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing logged")
    func disabled() {
        let lines = LogLines()
        let logger = Logger(label: "test") { label in JournalLogHandler(label: label, output: lines.output) }
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000"], logger: logger)
        notifier.ready(status: "x")
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogInterval == nil)
        #expect(lines.all.isEmpty)
    }
}

public import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(CNIOLinux)
// Clang attributes `struct timespec`'s members to NIO's C shim, which includes <time.h> too; with
// MemberImportVisibility they need that module imported.
import CNIOLinux
#endif

/// Tells systemd what the daemon is doing (`sd_notify(3)`): one datagram of `KEY=VALUE` lines to the
/// Unix socket named by `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
///
/// Without `$NOTIFY_SOCKET` (not started by systemd, or not `Type=notify`) every call does nothing.
/// A failed send is logged once at warning and otherwise ignored: telling systemd is never a reason
/// to stop serving.
public final class SystemdNotifier: Sendable {
    /// The socket from `$NOTIFY_SOCKET`, as given (`/run/systemd/notify`, `@abstract`); nil: disabled.
    public let socketPath: String?

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`, when it is set and `$WATCHDOG_PID` is
    /// absent or this process. Nil: systemd runs no watchdog for us.
    public let watchdogInterval: Duration?

    private let logger: Logger
    private let failureLogged = Atomic<Bool>(false)

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: the process environment (tests pass their own).
    ///   - processID: the process compared with `WATCHDOG_PID`; nil: this one.
    ///   - logger: where a failed send is reported (once).
    public init(environment: [String: String], processID: Int32? = nil, logger: Logger) {
        let socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        self.socketPath = socket
        self.watchdogInterval =
            socket == nil ? nil : Self.watchdogInterval(environment: environment, processID: processID ?? getpid())
        self.logger = logger
    }

    /// A notifier that sends nothing (tests, and commands other than `serve`).
    public static func disabled(logger: Logger) -> SystemdNotifier {
        SystemdNotifier(environment: [:], logger: logger)
    }

    /// Whether messages go anywhere.
    public var isEnabled: Bool { socketPath != nil }

    /// Half of `WATCHDOG_USEC` when it is a positive number and `WATCHDOG_PID` is absent or `processID`.
    static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, Int32(pid) != processID {
            return nil
        }
        return .microseconds(microseconds / 2)
    }

    // MARK: Messages

    /// `READY=1`: start-up finished (migrations ran, rules loaded, listener bound) or a reload ended.
    public func ready(status: String) {
        send(["READY=1", "STATUS=\(status)"])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC` (systemd 253 and newer match it to the reload request),
    /// sent before the rules are read again; ``ready(status:)`` follows whatever the outcome.
    public func reloading(status: String) {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())", "STATUS=\(status)"])
    }

    /// `STOPPING=1`: a graceful shutdown began.
    public func stopping(status: String) {
        send(["STOPPING=1", "STATUS=\(status)"])
    }

    /// `WATCHDOG=1`: the daemon is alive and its store takes writes.
    public func watchdog() {
        send(["WATCHDOG=1"])
    }

    /// `STATUS=…` alone: a one-line state shown by `systemctl status`.
    public func status(_ status: String) {
        send(["STATUS=\(status)"])
    }

    /// `CLOCK_MONOTONIC` now, in microseconds (what `MONOTONIC_USEC` expects).
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    // MARK: Sending

    /// Sends `lines` as one datagram; logs the first failure and ignores the rest.
    func send(_ lines: [String]) {
        guard let socketPath else { return }
        // A STATUS text with a line break would split into a second, bogus assignment.
        let message = lines.map { $0.replacingNewlines() }.joined(separator: "\n")
        if let failure = Self.sendDatagram(message, to: socketPath) {
            if !failureLogged.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "Could not notify systemd; the daemon keeps running, but systemd may consider it not started or hung",
                    metadata: ["systemd.socket": .string(socketPath), "error": .string(failure)])
            }
        }
    }

    /// Sends one datagram to the Unix socket `path` (`@…`: abstract); returns what failed, or nil.
    static func sendDatagram(_ message: String, to path: String) -> String? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(path.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A filesystem path needs room for its terminating zero; an abstract name does not.
        guard pathBytes.count < capacity || (abstract && pathBytes.count <= capacity), !pathBytes.isEmpty else {
            return "socket path is longer than \(capacity - 1) bytes"
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let addressLength = socklen_t(
            MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count + (abstract ? 0 : 1))

        // Non-blocking: a manager that does not read its socket (a full queue) must not hold up a
        // thread of the concurrency pool; the send fails with EAGAIN instead and is logged.
        #if canImport(Darwin)
        let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFL, O_NONBLOCK) }
        #else
        let descriptor = socket(
            AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #endif
        guard descriptor >= 0 else { return "socket(): \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }

        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { body in
                    sendto(descriptor, body.baseAddress, body.count, 0, socketAddress, addressLength)
                }
            }
        }
        guard sent == bytes.count else {
            return sent < 0 ? "sendto(): \(String(cString: strerror(errno)))" : "sendto(): short write"
        }
        return nil
    }
}

extension String {
    /// The text with CR and LF replaced by spaces (one notify assignment per line).
    fileprivate func replacingNewlines() -> String {
        guard contains(where: \.isNewline) else { return self }
        return String(map { $0.isNewline ? " " : $0 })
    }
}

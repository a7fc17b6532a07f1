import Foundation
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif
#if canImport(CNIOLinux)
// Clang attributes `struct stat`'s members to NIO's C shim, which also includes <sys/stat.h>;
// with MemberImportVisibility they need that module imported too.
import CNIOLinux
#endif

/// The real `artifactory-hooks` binary, started as a child process, as systemd would run it.
final class DaemonProcess: Sendable {
    let process: ChildProcess
    private let output: ChildOutput

    /// The built binary: beside the test bundle, or `$ARTIFACTORY_HOOKS_BINARY`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ARTIFACTORY_HOOKS_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // swift test runs .build/debug/NAME.xctest, a file beside the executable.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("artifactory-hooks").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("artifactory-hooks")
    }

    /// Starts `artifactory-hooks ARGUMENTS` with `environment` added to a minimal one. With
    /// `journalStream`, `JOURNAL_STREAM` names the output pipe, as systemd names the journal's stream.
    /// With `ulimit`, the process starts under those limits (`-n 256`: 256 descriptors, soft and
    /// hard, as `LimitNOFILE=256` sets them) through `sh -c 'ulimit …; exec …'`: its pid is the daemon's.
    init(
        _ arguments: [String], environment: [String: String] = [:], journalStream: Bool = false,
        ulimit: String? = nil
    ) throws {
        output = try ChildOutput()
        var environment = environment
        if journalStream {
            var status = stat()
            guard fstat(output.writeHandle.fileDescriptor, &status) == 0 else { throw POSIXError(.EBADF) }
            environment["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)"
        }
        let descriptor = output.writeHandle.fileDescriptor
        let (executable, arguments) =
            if let ulimit {
                ("/bin/sh", ["-c", "ulimit \(ulimit) && exec \"$0\" \"$@\"", Self.binary.path] + arguments)
            } else {
                (Self.binary.path, arguments)
            }
        process = try ChildProcess(
            executable: executable, arguments: arguments,
            environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }, standardOutput: descriptor,
            standardError: descriptor)
        output.childStarted()
    }

    /// A test that fails or throws before stopping its daemon must not leave it running.
    deinit {
        process.send(SIGKILL)
    }

    /// Everything the process printed so far.
    var printed: String { output.text }

    /// Waits for the "Listening for webhooks" line and returns the bound port.
    func waitUntilListening(timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitForPort(key: "http.address", timeout: timeout)
    }

    /// Waits for the admin listener's line and returns its bound port.
    func waitForAdminPort(timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitForPort(key: "admin.address", timeout: timeout)
    }

    /// Whether the output holds the log metadata `key` with `value` (text, journal or JSON format).
    func logged(_ key: String, _ value: String) -> Bool {
        let pattern = key.replacingOccurrences(of: ".", with: #"\."#) + #""?[=:]"?"# + value + #"\b"#
        return printed.range(of: pattern, options: .regularExpression) != nil
    }

    /// CPU time (user and system) the process has used so far, from /proc.
    var cpuTime: Duration? {
        guard
            let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state is field 3, utime and stime fields 14 and 15, in clock ticks.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return .milliseconds((user + system) * 1000 / sysconf(Int32(_SC_CLK_TCK)))
    }

    private func waitForPort(key: String, timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        let pattern = key.replacingOccurrences(of: ".", with: #"\."#) + #""?[=:]"?127\.0\.0\.1:([0-9]+)"#
        while ContinuousClock.now < deadline {
            let text = printed
            if let range = text.range(of: pattern, options: .regularExpression) {
                let port = text[range].split(separator: ":").last.flatMap { Int($0) }
                if let port { return port }
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DaemonFailure(message: "daemon did not log \(key); output:\n\(printed)")
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw DaemonFailure(message: "daemon did not exit; output:\n\(printed)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The pipe's reader may not have delivered the last bytes yet: wait for the pipe's end.
        for _ in 0..<500 where !output.ended {
            try await Task.sleep(for: .milliseconds(10))
        }
        switch process.ended {
        case .exit(let status): return status
        case .signal(let signal): return 128 + signal
        case nil: throw DaemonFailure(message: "daemon did not exit; output:\n\(printed)")
        }
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        process.send(signal)
    }

    struct DaemonFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Polls `condition` every 20 ms for up to 10 s; records an issue when it never holds.
func waitFor(_ condition: () -> Bool) async throws {
    for _ in 0..<500 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met in time")
}

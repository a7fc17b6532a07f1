import CChildSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process for tests: started with `posix_spawn`, every descriptor but its three standard
/// ones closed, its exit collected by a thread of its own.
///
/// Foundation's `Process.run` on Linux reads `/proc/self/fd` by copying whole `dirent` records,
/// which can read past the end of glibc's buffer and crash a test process that holds many
/// descriptors; this type does not read that folder at all.
public final class ChildProcess: Sendable {
    /// How the child ended.
    public enum Termination: Equatable, Sendable {
        /// It exited with this status.
        case exit(Int32)
        /// A signal ended it.
        case signal(Int32)
    }

    /// The child's process id.
    public let processIdentifier: pid_t
    private let termination = Mutex<Termination?>(nil)

    /// Starts `executable` with `arguments`. `environment` nil inherits this process's; a nil
    /// standard descriptor is `/dev/null`. `directory` is the child's working folder.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String]? = nil,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil,
        directory: String? = nil
    ) throws {
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard devNull >= 0 else { throw POSIXError(.ENOENT) }
        defer { close(devNull) }
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            withEnvironmentPointer(envp) { envpPointer in
                child_spawn(
                    &pid, executable, argvBuffer.baseAddress, envpPointer, standardInput ?? devNull,
                    standardOutput ?? devNull, standardError ?? devNull, directory)
            }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        processIdentifier = pid
        Thread.detachNewThread { [self] in collectExit() }
    }

    /// The child exits: the kernel keeps it until this reaps it, so its pid is never reused early.
    private func collectExit() {
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) == -1 {
            guard errno == EINTR else { return }
        }
        let signal = status & 0x7f
        termination.withLock { $0 = signal == 0 ? .exit((status >> 8) & 0xff) : .signal(signal) }
    }

    /// How the child ended, or nil while it runs.
    public var ended: Termination? { termination.withLock { $0 } }

    /// Whether the child still runs (or has not been reaped yet).
    public var isRunning: Bool { ended == nil }

    /// Sends `signal` to the child while it runs.
    public func send(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Blocks the calling thread until the child ends; for short tools, not for daemons.
    @discardableResult
    public func waitUntilExit() -> Termination {
        while true {
            if let ended { return ended }
            usleep(5_000)
        }
    }

    /// Waits up to `timeout` for the child to end; nil when it still runs.
    public func waitForExit(timeout: Duration) async throws -> Termination? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let ended { return ended }
            try await Task.sleep(for: .milliseconds(10))
        }
        return ended
    }
}

private func withEnvironmentPointer<Result>(
    _ envp: [UnsafeMutablePointer<CChar>?]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> Result
) -> Result {
    guard let envp else { return body(nil) }
    return (envp + [nil]).withUnsafeBufferPointer { body($0.baseAddress) }
}

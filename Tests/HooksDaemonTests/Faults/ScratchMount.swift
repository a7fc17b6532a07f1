import Foundation
import HooksTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A size-limited tmpfs mounted on a folder for one test, so the store's disk can fill up.
/// Mounting needs root (as in CI); ``available`` says whether this process may.
struct ScratchMount {
    let path: String

    /// Whether this process may mount a tmpfs (it runs as root).
    static var available: Bool { getuid() == 0 }

    /// Mounts a tmpfs of `kibibytes` on `path` (created when missing).
    init(at path: String, kibibytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0755", "tmpfs", path])
        self.path = path
    }

    /// Unmounts it, lazily when a process still holds a file in it.
    func unmount() {
        try? Self.run("/usr/bin/umount", ["-l", path])
    }

    /// Writes zeros into `name` until the file system is full; returns the bytes written.
    @discardableResult
    func fill(_ name: String) throws -> Int {
        let descriptor = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        var written = 0
        while true {
            let count = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            written += count
        }
        guard errno == ENOSPC else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return written
    }

    /// The bytes free on the file system now.
    var freeBytes: Int {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return -1 }
        return Int(status.f_bavail) * Int(status.f_frsize)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = try ChildProcess(executable: executable, arguments: arguments)
        guard process.waitUntilExit() == .exit(0) else {
            throw MountFailure(command: ([executable] + arguments).joined(separator: " "))
        }
    }

    struct MountFailure: Error, CustomStringConvertible {
        let command: String
        var description: String { "\(command) failed" }
    }
}

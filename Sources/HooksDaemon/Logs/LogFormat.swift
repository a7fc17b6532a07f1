public import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(CNIOLinux)
// Clang attributes `struct stat`'s members to NIO's C shim, which also includes <sys/stat.h>;
// with MemberImportVisibility they need that module imported too.
import CNIOLinux
#endif

/// How the daemon writes its log lines (`--log-format`).
public enum LogFormat: String, CaseIterable, Sendable {
    /// swift-log's stream format with a local timestamp: for a terminal.
    case text
    /// One JSON object per line (``JSONLogHandler``): for log shippers.
    case json
    /// Syslog priority prefixes and no timestamp (``JournalLogHandler``): for journald.
    case journal

    /// `journal` when standard error is connected to the journal, `text` otherwise.
    ///
    /// systemd sets `JOURNAL_STREAM=DEVICE:INODE` for a service whose output goes to the journal; it
    /// is believed only when standard error is that very stream (`systemd.exec(5)`), so a shell
    /// started from the service that redirects its output does not get journal lines.
    public static func automatic(environment: [String: String]) -> LogFormat {
        guard let stream = environment["JOURNAL_STREAM"], let identity = FileIdentity(stream) else { return .text }
        return FileIdentity(descriptor: 2) == identity ? .journal : .text
    }

    /// A handler factory for `LoggingSystem.bootstrap` writing this format at `level` to standard error.
    public func handlerFactory(level: Logger.Level) -> @Sendable (String) -> any LogHandler {
        switch self {
        case .text:
            return { label in
                TextLogHandler(
                    wrapping: StreamLogHandler.standardError(label: label, metadataProvider: nil), level: level)
            }
        case .json:
            return { label in JSONLogHandler(label: label, level: level) }
        case .journal:
            return { label in JournalLogHandler(label: label, level: level) }
        }
    }
}

/// A file's device and inode number, as in `JOURNAL_STREAM`.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// Parses `DEVICE:INODE` (decimal); nil when malformed.
    init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        self.device = device
        self.inode = inode
    }

    /// The identity of the open file `descriptor`; nil when `fstat` fails (closed).
    init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

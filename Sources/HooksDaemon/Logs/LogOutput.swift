import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the daemon's log handlers write their lines: standard error (journald, a terminal, a log
/// shipper's pipe), or a closure in tests.
///
/// Each line is written whole, under one lock for the process, so lines from concurrent tasks never
/// interleave.
public struct LogOutput: Sendable {
    /// Writes one line; the text has no line break, the writer adds it.
    let writeLine: @Sendable (String) -> Void

    /// An output that hands every line (without its line break) to `writeLine`.
    public init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// The process's standard error, unbuffered.
    public static let standardError = LogOutput { line in
        standardErrorLock.withLock { _ in
            var bytes = Array(line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    // Nowhere left to report a failing standard error; drop the line.
                    return
                }
            }
        }
    }

    private static let standardErrorLock = Mutex(())
}

public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Everything a child process writes to one pipe, read on a thread of its own until the pipe ends.
///
/// Give `writeHandle` to the child as its output, call `childStarted()` once it runs: the write end
/// closes in this process, so the pipe ends when the child (and anything it passed the pipe to)
/// exits. Reading with blocking `read(2)` on a descriptor only the reader closes keeps the pipe's
/// descriptor number from being reused while anything still reads it.
public final class ChildOutput: Sendable {
    /// The pipe's write end, for `Process.standardOutput` and `standardError`.
    public let writeHandle: FileHandle
    private let readDescriptor: Int32
    private let state = Mutex(State())

    private struct State {
        var bytes = Data()
        var ended = false
        var reading = false
    }

    /// Opens the pipe; both ends are close-on-exec, the child gets the write end through `dup2`.
    public init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw POSIXError(.EMFILE) }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        readDescriptor = descriptors[0]
        writeHandle = FileHandle(fileDescriptor: descriptors[1], closeOnDealloc: true)
    }

    deinit {
        if !state.withLock({ $0.reading }) { close(readDescriptor) }
    }

    /// Closes this process's write end and starts reading until the pipe ends.
    public func childStarted() {
        try? writeHandle.close()
        state.withLock { $0.reading = true }
        Thread.detachNewThread { [self] in readUntilEnd() }
    }

    /// The bytes so far.
    public var bytes: Data { state.withLock { $0.bytes } }

    /// The bytes so far as UTF-8 text (decoded as a whole: a chunk may end inside a character).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the pipe reached its end: the child and every process it passed the pipe to closed it.
    public var ended: Bool { state.withLock { $0.ended } }

    private func readUntilEnd() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                state.withLock { $0.bytes.append(contentsOf: buffer[0..<count]) }
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(readDescriptor)
        state.withLock { $0.ended = true }
    }
}

import Foundation
import HooksTestSupport

/// Idle TCP connections to 127.0.0.1:`port` held by a child process (Debian's `python3`), for
/// floods of thousands: the test process itself then never holds thousands of descriptors, which
/// Foundation's `Process.run` in concurrent tests does not survive (it crashed copying memory once
/// descriptor numbers ran into the thousands).
final class ChildHeldConnections: Sendable {
    /// How many connections were established (a connect may time out while the listener's queue
    /// is full).
    let count: Int
    private let process: Process
    private let input: Pipe

    /// The child's script: open `count` connections, print how many succeeded, hold them until
    /// its standard input closes.
    private static let script = """
        import resource, socket, sys
        port, count = int(sys.argv[1]), int(sys.argv[2])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < count + 64 and (hard == resource.RLIM_INFINITY or hard >= count + 64):
            resource.setrlimit(resource.RLIMIT_NOFILE, (count + 64, hard))
        held = []
        for _ in range(count):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", port))
                held.append(s)
            except OSError:
                s.close()
        print(len(held), flush=True)
        sys.stdin.read()
        """

    init(port: Int, count: Int) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, String(port), String(count)]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.runSerialized()
        let reader = output.fileHandleForReading
        let line = try await onOwnThread {
            var bytes = Data()
            while !bytes.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                bytes.append(chunk)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        self.process = process
        self.input = input
        self.count = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Closes every connection: the child exits when its input closes.
    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

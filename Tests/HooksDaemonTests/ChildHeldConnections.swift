import Foundation
import HooksTestSupport

/// Idle TCP connections to 127.0.0.1:`port` held by a child process (Debian's `python3`), for
/// floods of thousands: the test process itself then holds none of those descriptors, so its own
/// limits and listeners are not what the flood measures.
final class ChildHeldConnections: Sendable {
    /// How many connections were established (a connect may time out while the listener's queue
    /// is full).
    let count: Int
    private let process: ChildProcess

    /// The child's script: open `count` connections, print how many succeeded, hold them until
    /// a signal ends it.
    private static let script = """
        import resource, signal, socket, sys
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
        while True:
            signal.pause()
        """

    init(port: Int, count: Int) async throws {
        let output = try ChildOutput()
        process = try ChildProcess(
            executable: "/usr/bin/python3", arguments: ["-c", Self.script, String(port), String(count)],
            standardOutput: output.writeHandle.fileDescriptor)
        output.childStarted()
        let deadline = ContinuousClock.now + .seconds(120)
        while !output.text.contains("\n"), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        self.count = Int(output.text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Closes every connection: the child ends, and the kernel closes what it held.
    func close() async throws {
        process.send(SIGTERM)
        _ = try await process.waitForExit(timeout: .seconds(10))
    }

    deinit {
        process.send(SIGKILL)
    }
}

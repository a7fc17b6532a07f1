import Foundation
import HooksTestSupport

/// TCP connections to 127.0.0.1:`port` held by a child process (Debian's `python3`), for floods
/// of thousands: the test process itself then holds none of those descriptors, so its own limits
/// and listeners are not what the flood measures. Idle, or with `stalled` a third each: silent
/// (open, nothing sent: a client gone without a FIN looks the same), a request head that never
/// ends, a signed-looking POST whose body stops after 10 of its 1000 bytes.
final class ChildHeldConnections: Sendable {
    /// How many connections were established (a connect may time out while the listener's queue
    /// is full).
    let count: Int
    private let process: ChildProcess

    /// The child's script: open `count` connections, each given the fourth argument's seconds to
    /// connect (stalling requests on two thirds of them when the third argument is 1), print how
    /// many succeeded, hold them until a signal ends it.
    private static let script = """
        import resource, signal, socket, sys
        port, count, stalled, wait = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", float(sys.argv[4])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < count + 64 and (hard == resource.RLIM_INFINITY or hard >= count + 64):
            resource.setrlimit(resource.RLIMIT_NOFILE, (count + 64, hard))
        head = b"POST /webhooks/main HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\n"
        body = head + b"X-JFrog-Event-Auth: " + b"0" * 64 + b"\\r\\nContent-Length: 1000\\r\\n\\r\\n{\\"domain\\":"
        held = []
        for i in range(count):
            s = socket.socket()
            s.settimeout(wait)
            try:
                s.connect(("127.0.0.1", port))
                if stalled and i % 3 == 1: s.sendall(head)
                if stalled and i % 3 == 2: s.sendall(body)
                held.append(s)
            except OSError:
                s.close()
        print(len(held), flush=True)
        while True:
            signal.pause()
        """

    init(port: Int, count: Int, stalled: Bool = false, connectTimeout: Double = 2) async throws {
        let output = try ChildOutput()
        process = try ChildProcess(
            executable: "/usr/bin/python3",
            arguments: [
                "-c", Self.script, String(port), String(count), stalled ? "1" : "0",
                String(connectTimeout),
            ],
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

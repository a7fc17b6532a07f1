import Foundation
import HooksTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of one test's own, in a temporary folder, on a fixed loopback port, so the
/// test can stop it and start it again (as scripts/with-postgres.sh builds one; as root, the
/// cluster belongs to the `postgres` user, since initdb refuses root).
struct ScratchPostgres {
    let directory: TemporaryDirectory
    let port: Int
    private let bin: String

    /// The server binaries' folder (the newest of /usr/lib/postgresql/*/bin), when installed.
    static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted().last.map { "\(root)/\($0)/bin" }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") ? $0 : nil }
    }

    /// Whether a cluster can be made here: the binaries, and as root the `postgres` user.
    static var available: Bool {
        binaries != nil && (getuid() != 0 || getpwnam("postgres") != nil)
    }

    /// The URL the daemon connects with.
    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Makes a cluster and starts it.
    init() throws {
        guard let bin = Self.binaries else { throw Failure(message: "no PostgreSQL server binaries") }
        self.bin = bin
        directory = try TemporaryDirectory(prefix: "artifactory-hooks-pg")
        if getuid() == 0, let owner = getpwnam("postgres") {
            chown(directory.url.path, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        port = try LoopbackPort.unused()
        try run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        try start()
    }

    private var data: String { directory.path("data") }

    /// Starts the server and waits until it takes connections.
    func start() throws {
        try run(
            "pg_ctl",
            [
                "-D", data, "-l", directory.path("server.log"), "-w", "-o",
                "-c listen_addresses=127.0.0.1 -p \(port) -c unix_socket_directories=\(directory.url.path) -c fsync=off",
                "start",
            ])
    }

    /// Stops the server at once, as a crash would (`immediate`: no checkpoint, clients cut off).
    func stop() throws {
        try run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
    }

    /// Stops the server if it runs and removes the cluster.
    func remove() {
        try? stop()
        directory.remove()
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let (executable, all) =
            getuid() == 0
            ? ("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(tool)"] + arguments)
            : ("\(bin)/\(tool)", arguments)
        let process = try ChildProcess(executable: executable, arguments: all)
        guard process.waitUntilExit() == .exit(0) else {
            let log = (try? String(contentsOfFile: directory.path("server.log"), encoding: .utf8)) ?? ""
            throw Failure(message: "\(tool) \(arguments.joined(separator: " ")) failed\n\(log.suffix(2000))")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

import Foundation
import HooksTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `doctor`'s store check through the binary: the SQLite schema once the file exists, and
/// PostgreSQL reachable and migrated (and not contacted with `--quick`).
@Suite("doctor's store check", .timeLimit(.minutes(2)))
struct DoctorStoreTests {
    static func doctor(_ daemon: TestDaemon, _ more: [String] = []) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(["doctor", "--config", daemon.configPath] + more)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    @Test("a migrated SQLite file is writable and of this version's schema")
    func sqlite() async throws {
        let daemon = try TestDaemon()
        defer { daemon.directory.remove() }
        let migrate = try DaemonProcess(["store", "migrate", "--config", daemon.configPath])
        #expect(try await migrate.waitForExit() == 0)
        let result = try await Self.doctor(daemon)
        #expect(result.status == 0, "\(result.output)")
        #expect(
            result.output.contains("OK  store: \(daemon.databasePath) is writable and its schema is this version's"),
            "\(result.output)")

        // Owned by another user and without its -wal and -shm files: opening it would leave files
        // the daemon's user may not write, so the schema is not read.
        guard geteuid() == 0 else { return }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: daemon.databasePath + suffix) }
        #expect(chown(daemon.databasePath, 65534, 65534) == 0)
        let foreign = try await Self.doctor(daemon)
        #expect(foreign.status == 0, "\(foreign.output)")
        #expect(foreign.output.contains("its schema was not read"), "\(foreign.output)")
        #expect(!FileManager.default.fileExists(atPath: daemon.databasePath + "-wal"))
    }

    @Test("PostgreSQL unreachable fails with what to do; --quick does not contact it")
    func postgresUnreachable() async throws {
        let daemon = try TestDaemon(store: "postgres: postgres://hooks@127.0.0.1:1/hooks\ntls: disable")
        defer { daemon.directory.remove() }
        let full = try await Self.doctor(daemon)
        #expect(full.status == 1, "\(full.output)")
        #expect(full.output.contains("FAIL store: "), "\(full.output)")
        #expect(full.output.contains("— check store: in the config and that the database is up"), "\(full.output)")
        let quick = try await Self.doctor(daemon, ["--quick"])
        #expect(quick.status == 0, "\(quick.output)")
        #expect(quick.output.contains("(--quick)"), "\(quick.output)")
    }

    @Test(
        "PostgreSQL: an empty database warns that migrations are pending; migrated, it passes",
        .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
    func postgres() async throws {
        let database = try await TestPostgres.createDatabase()
        let daemon = try TestDaemon(store: "postgres: \(database.url)\ntls: disable")
        defer { daemon.directory.remove() }
        do {
            let empty = try await Self.doctor(daemon)
            #expect(empty.status == 0, "\(empty.output)")
            #expect(empty.output.contains("WARN store: "), "\(empty.output)")
            #expect(empty.output.contains("the daemon applies them at start"), "\(empty.output)")
            let migrate = try DaemonProcess(["store", "migrate", "--config", daemon.configPath])
            #expect(try await migrate.waitForExit() == 0)
            let migrated = try await Self.doctor(daemon)
            #expect(migrated.status == 0, "\(migrated.output)")
            #expect(migrated.output.contains("is reachable and its schema is this version's"), "\(migrated.output)")
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

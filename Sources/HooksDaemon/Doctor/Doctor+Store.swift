import Foundation
import Logging
import Storage

extension Doctor {
    /// SQLite: the file (or, before the first start, its folder) writable by this user, then its
    /// schema; PostgreSQL: reachable and migrated. `quick` checks the SQLite files only and never
    /// contacts PostgreSQL.
    static func checkStore(_ store: DaemonConfig.Store, quick: Bool, report: (DoctorCheck) -> Void) async {
        switch store {
        case .sqlite(let configuration):
            let path = configuration.path
            if let problem = sqliteAccessProblem(path) {
                report(problem)
                return
            }
            guard FileManager.default.fileExists(atPath: path) else {
                report(.ok("store", "\(path) does not exist yet; its folder is writable and the daemon creates it"))
                return
            }
            if quick {
                report(.ok("store", "\(path) and its folder are writable"))
                return
            }
            guard opensWithoutNewFiles(path) else {
                report(
                    .ok(
                        "store",
                        "\(path) and its folder are writable; its schema was not read, since opening it as this "
                            + "user would leave -wal and -shm files the daemon's user may not write (run doctor as "
                            + "the file's owner, or while the daemon runs, to read it)"))
                return
            }
            await checkSchema(location: path, state: "is writable", report: report) {
                try SQLiteEventStore(configuration: configuration)
            }
        case .postgres(let configuration):
            if quick {
                report(.ok("store", "PostgreSQL \(configuration.description) not contacted (--quick)"))
                return
            }
            await checkSchema(location: configuration.description, state: "is reachable", report: report) {
                let store = PostgresEventStore(
                    configuration: configuration,
                    logger: Logger(label: "doctor", factory: { _ in SwiftLogNoOpLogHandler() }))
                return store
            }
        }
    }

    /// What keeps the daemon from writing the SQLite file at `path`: the file not writable, or its
    /// folder (where the WAL and shared-memory files go) not taking a new file, tried by creating
    /// and removing one; before the first start, the nearest existing parent folder instead.
    static func sqliteAccessProblem(_ path: String) -> DoctorCheck? {
        let manager = FileManager.default
        let todo = "give the daemon's user write access to it (chown or chmod; systemd: StateDirectory=)"
        if manager.fileExists(atPath: path), !manager.isWritableFile(atPath: path) {
            return .fail("store", "\(path) is not writable by this user", todo)
        }
        var folder = (path as NSString).deletingLastPathComponent
        if folder.isEmpty { folder = "." }
        var existing = folder
        while !manager.fileExists(atPath: existing), existing != "/", existing != "." {
            existing = (existing as NSString).deletingLastPathComponent
            if existing.isEmpty { existing = "." }
        }
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: existing, isDirectory: &isFolder), isFolder.boolValue else {
            return .fail("store", "\(existing) is not a folder, so \(path) cannot be created", "check store.sqlite")
        }
        if let reason = creationProblem(in: existing) {
            let what =
                existing == folder
                ? "cannot create a file in \(folder) (\(reason)); SQLite writes its -wal and -shm files there"
                : "\(folder) does not exist and \(existing) takes no new folder (\(reason))"
            return .fail("store", what, todo)
        }
        return nil
    }

    /// Whether opening the SQLite file as this user leaves no new file behind that the daemon's
    /// user may not write: this user owns the database, or its `-wal` and `-shm` files exist
    /// already (the daemon runs, or ran), so SQLite reuses them.
    private static func opensWithoutNewFiles(_ path: String) -> Bool {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "-wal"), manager.fileExists(atPath: path + "-shm") { return true }
        let owner = (try? manager.attributesOfItem(atPath: path))?[.ownerAccountID] as? NSNumber
        return owner?.uint32Value == geteuid()
    }

    /// Creates and removes a file in `folder`; the reason it failed, or `nil`.
    private static func creationProblem(in folder: String) -> String? {
        let probe = folder + "/.artifactory-hooks-doctor-\(getpid())"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        unlink(probe)
        return nil
    }

    /// Opens the store without migrating and compares its schema with this version's.
    private static func checkSchema(
        location: String, state reached: String, report: (DoctorCheck) -> Void, open: () throws -> any EventStore
    ) async {
        do {
            let state = try await withRunning(try open()) { store in
                if let postgres = store as? PostgresEventStore { try await postgres.checkConnection() }
                return try await store.schemaState()
            }
            if let newest = state.unknown.last {
                report(
                    .fail(
                        "store", "\(location) was upgraded by a newer artifactory-hooks (migration \(newest))",
                        "run that version, or restore a backup taken before the upgrade"))
            } else if !state.pending.isEmpty {
                report(
                    .warn(
                        "store",
                        "\(location) lacks \(state.pending.count) migration(s) of this version; the daemon applies "
                            + "them at start (or run `artifactory-hooks store migrate`)"))
            } else {
                report(.ok("store", "\(location) \(reached) and its schema is this version's"))
            }
        } catch {
            report(.fail("store", "\(location): \(error)", "check store: in the config and that the database is up"))
        }
    }
}

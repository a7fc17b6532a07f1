import Foundation
import GRDB
import Synchronization

/// The store's open database, replaced only by ``SQLiteEventStore/restoreFile()``.
final class OpenPool: Sendable {
    private let state: Mutex<(pool: DatabasePool, restoring: Bool)>

    init(_ pool: DatabasePool) {
        state = Mutex((pool, false))
    }

    var current: DatabasePool { state.withLock { $0.pool } }

    /// Marks a restore as running; false when one runs already.
    func beginRestore() -> Bool {
        state.withLock { state in
            if state.restoring { return false }
            state.restoring = true
            return true
        }
    }

    /// Ends a restore, with the pool it opened when it did.
    func endRestore(with pool: DatabasePool?) {
        state.withLock { state in
            if let pool { state.pool = pool }
            state.restoring = false
        }
    }
}

extension SQLiteEventStore {
    /// Puts the database file back when it was removed from its path (alone or with its folder)
    /// while open, and carries on with the restored file: a copy of everything the open
    /// database holds (`VACUUM INTO` a temporary file beside it, renamed into place) is opened in
    /// place of the removed one. Called when a write was refused by ``StoreFileGuard``; a file that
    /// another one replaced is left alone (an operator put it there), and writes stay refused.
    func restoreFile() async {
        let path = configuration.path
        guard FileIdentity(path: path) == nil, pools.beginRestore() else { return }
        var restored: DatabasePool?
        let old = pools.current
        defer {
            pools.endRestore(with: restored)
            // The removed file's space is freed once its last descriptor closes.
            if restored != nil { try? old.close() }
        }
        let copy = path + ".restore-\(getpid())"
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: copy)
            // The copy reads what the open (removed) file and its write-ahead log hold: every commit.
            try await old.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [copy])
            }
            // link(), unlike rename(), fails when a file took the path meanwhile: it is left alone.
            guard link(copy, path) == 0 else {
                try? FileManager.default.removeItem(atPath: copy)
                return
            }
            try? FileManager.default.removeItem(atPath: copy)
            restored = try Self.openPool(configuration)
        } catch {
            try? FileManager.default.removeItem(atPath: copy)
        }
    }
}

import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// Refuses every commit of its connection once the file at the store's path is not the file the
/// connection opened: removed (alone or with its folder) or replaced.
///
/// An open SQLite file keeps taking writes after it is unlinked, and the data goes with its last
/// descriptor: without this check the daemon would acknowledge deliveries into a file that no
/// longer exists at its path, and lose them when it stops. The check is one `stat` per commit.
final class StoreFileGuard: TransactionObserver {
    /// The error a refused commit throws; `description` is safe to show.
    struct Replaced: Error, CustomStringConvertible {
        var description: String {
            "the database file was removed or replaced while the daemon had it open"
        }
    }

    let path: String
    let identity: FileIdentity

    /// Nil when `path` cannot be read now (the connection then has nothing to compare with).
    init?(path: String) {
        guard let identity = FileIdentity(path: path) else { return nil }
        self.path = path
        self.identity = identity
    }

    func databaseWillCommit() throws {
        guard FileIdentity(path: path) == identity else { throw Replaced() }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}

/// A file by device and inode: what stays the same while a file is renamed, and changes when
/// another file takes its path.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The file at `path` now; nil when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

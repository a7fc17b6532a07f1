import Foundation
import GRDB
import Testing

/// Faults a real host has, each against the `artifactory-hooks` binary run as a child process:
/// `swift test --filter Faults` runs them all. What each proves, and the figures of a run, are in
/// docs/reliability.md ("Faults"); every test prints its `FAULT …` line of figures. One at a
/// time: each loads the machine, and a flood of connections should not meet another fault's load.
@Suite(.serialized)
enum Faults {
    /// Runs SQLite's own consistency check on the store file: "ok", or what is wrong.
    static func integrityCheck(_ path: String) async throws -> String {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try await queue.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }
}

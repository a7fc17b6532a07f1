import Foundation
import HooksTestSupport
import Testing

@testable import Storage

@Suite("SQLite: the file at the store's path")
struct StoreFileGuardTests {
    /// Inserts one artifact event about `path`.
    static func insert(_ store: SQLiteEventStore, _ path: String) async throws {
        _ = try await store.insert(try delivery(artifactBody(path: path)), dedupWindow: .zero)
    }

    /// The paths of the events stored in the file at `path`, read by a store of its own.
    static func storedPaths(at path: String) async throws -> Set<String> {
        let reader = try SQLiteEventStore(configuration: .init(path: path))
        let events = try await reader.events(matching: EventQuery(limit: 1000))
        try await reader.close()
        return Set(events.compactMap(\.path))
    }

    @Test("a removed file: the write is refused, the file is put back with every commit, writes go on")
    func removed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("var/events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        for index in 0..<3 { try await Self.insert(store, "before-\(index)") }

        // The folder goes with the file, its log and its shared memory.
        try FileManager.default.removeItem(atPath: directory.path("var"))
        let error = await #expect(throws: StorageError.self) { try await Self.insert(store, "refused") }
        #expect(error?.code == .writeFailed)
        #expect(error?.reason?.contains("removed or replaced") == true, "\(String(describing: error?.reason))")

        // The refusal put the file back, and the store writes to it.
        #expect(FileManager.default.fileExists(atPath: path))
        try await Self.insert(store, "after")
        try await store.close()
        let stored = try await Self.storedPaths(at: path)
        #expect(stored == ["before-0", "before-1", "before-2", "after"])
    }

    @Test("a file put in its place: writes are refused, and the other file stays at the path")
    func replaced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path))
        try await store.migrate()
        try await Self.insert(store, "ours")
        // Another file (an operator's backup, say) is moved over the path while the store is open.
        let otherPath = directory.path("other.sqlite")
        #expect(FileManager.default.createFile(atPath: otherPath, contents: Data("backup".utf8)))
        let other = try #require(FileIdentity(path: otherPath))
        #expect(rename(otherPath, path) == 0)

        for _ in 0..<2 {
            await #expect(throws: StorageError.self) { try await Self.insert(store, "refused") }
        }
        // Not put back over the operator's file: the path still names it, untouched.
        #expect(FileIdentity(path: path) == other)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "backup")
        try? await store.close()
    }
}

import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

/// Builds a fresh, migrated store of one implementation for one test.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (TemporaryDirectory) async throws -> OpenedStore

    var testDescription: String { name }

    /// A store and what removes it after the test.
    struct OpenedStore: Sendable {
        let store: any EventStore
        let cleanup: @Sendable () async -> Void
    }

    static let sqlite = StoreFactory(name: "SQLite") { directory in
        let store = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await store.migrate()
        return OpenedStore(store: store, cleanup: {})
    }

    /// A database of its own on the server named by `ARTIFACTORY_HOOKS_TEST_POSTGRES`.
    static let postgres = StoreFactory(name: "PostgreSQL") { _ in
        let database = try await TestPostgres.createDatabase()
        let store = PostgresEventStore(configuration: try postgresConfiguration(database.url, poolSize: 4))
        let pool = TestPool(store)
        try await store.migrate()
        return OpenedStore(
            store: store,
            cleanup: {
                await pool.stop()
                await database.drop()
            })
    }

    /// Every implementation the contract runs against: PostgreSQL only when a test server is
    /// configured (the `PostgreSQL store` suite then says it is skipped).
    static let all: [StoreFactory] = TestPostgres.isAvailable ? [sqlite, postgres] : [sqlite]
}

/// The store configuration for a test database URL.
func postgresConfiguration(_ url: String, poolSize: Int = 4) throws -> PostgresEventStore.Configuration {
    var configuration = try #require(PostgresEventStore.Configuration(url: url, tls: .disable, poolSize: poolSize))
    // Many stores share one test server and two cores: a slow call is not what these tests test
    // (DeadlineTests does, with a server that never answers).
    configuration.operationTimeout = .seconds(60)
    return configuration
}

/// Runs `body` with a fresh store and cleans up.
func withStore(_ factory: StoreFactory, _ body: (any EventStore) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let opened = try await factory.make(directory)
    do {
        try await body(opened.store)
    } catch {
        try? await opened.store.close()
        await opened.cleanup()
        throw error
    }
    try await opened.store.close()
    await opened.cleanup()
}

/// A delivery of `body` on `endpoint`, received at `at`.
func delivery(_ body: String, endpoint: String = "main", at date: Date = Date(), from address: String? = "127.0.0.1")
    throws
    -> NewEvent
{
    let bytes = Array(body.utf8)
    return NewEvent(
        receivedAt: date, endpoint: endpoint, event: try WebhookEvent(body: bytes), body: bytes, sourceAddress: address)
}

func artifactBody(repo: String = "libs-release-local", path: String, type: String = "deployed") -> String {
    #"{"domain":"artifact","event_type":"\#(type)","data":{"repo_key":"\#(repo)","path":"\#(path)","name":"x","size":1}}"#
}

@Suite("EventStore contract")
struct EventStoreContractTests {
    @Test("an ignored event keeps its reason; the others have none", arguments: StoreFactory.all)
    func ignoredReason(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            var ignored = try delivery(artifactBody(path: "a.jar"))
            ignored.ignored = "accept.origin: \"https://staging\" is not \"https://prod\""
            let first = try await store.insert(ignored, dedupWindow: .zero)
            let second = try await store.insert(try delivery(artifactBody(path: "b.jar")), dedupWindow: .zero)
            #expect(try await store.event(id: first.eventID)?.ignored == ignored.ignored)
            #expect(try await store.event(id: second.eventID)?.ignored == nil)
        }
    }

    @Test("an event reads back exactly as stored", arguments: StoreFactory.all)
    func roundTrip(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let body =
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"r","path":"a/b.jar","n":123456789012345678901},"jpd_origin":"https://x","source":"jfrog/u","subscription_key":"k"}"#
            let new = try delivery(body, endpoint: "main", from: "10.1.2.3")
            let result = try await store.insert(new, dedupWindow: .seconds(60))
            #expect(result.duplicateOf == nil)
            let stored = try #require(try await store.event(id: result.eventID))
            #expect(stored.body == Array(body.utf8))
            #expect(stored.endpoint == "main")
            #expect(stored.kind == "artifact.deployed")
            #expect(stored.subject == "artifact:r/a/b.jar")
            #expect(stored.repo == "r")
            #expect(stored.path == "a/b.jar")
            #expect(stored.sourceAddress == "10.1.2.3")
            #expect(stored.origin == "https://x")
            #expect(stored.source == "jfrog/u")
            #expect(stored.subscriptionKey == "k")
            #expect(stored.fingerprint == new.fingerprint.description)
            #expect(abs(stored.receivedAt.timeIntervalSince(new.receivedAt)) < 0.001)
        }
    }

    @Test("a repeat inside the window is a duplicate of the original", arguments: StoreFactory.all)
    func dedupInsideWindow(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let start = Date()
            let first = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start), dedupWindow: .seconds(60))
            let second = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start.addingTimeInterval(30)), dedupWindow: .seconds(60))
            let third = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start.addingTimeInterval(59)), dedupWindow: .seconds(60))
            #expect(second.duplicateOf == first.eventID)
            #expect(third.duplicateOf == first.eventID)
            #expect(second.eventID != first.eventID)
            let stored = try #require(try await store.event(id: second.eventID))
            #expect(stored.duplicateOf == first.eventID)
        }
    }

    @Test("after the window the same body is a new original", arguments: StoreFactory.all)
    func dedupAfterWindow(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let start = Date()
            let first = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start), dedupWindow: .seconds(60))
            let later = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start.addingTimeInterval(61)), dedupWindow: .seconds(60))
            #expect(later.duplicateOf == nil)
            // …and the window now runs from the new original.
            let again = try await store.insert(
                try delivery(artifactBody(path: "a"), at: start.addingTimeInterval(62)), dedupWindow: .seconds(60))
            #expect(again.duplicateOf == later.eventID)
            #expect(first.eventID != later.eventID)
        }
    }

    @Test("a zero window turns dedup off", arguments: StoreFactory.all)
    func dedupOff(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let a = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .zero)
            let b = try await store.insert(try delivery(artifactBody(path: "a")), dedupWindow: .zero)
            #expect(a.duplicateOf == nil)
            #expect(b.duplicateOf == nil)
        }
    }

    @Test("the same body on another endpoint is not a duplicate", arguments: StoreFactory.all)
    func dedupPerEndpoint(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await store.insert(
                try delivery(artifactBody(path: "a"), endpoint: "one"), dedupWindow: .seconds(60))
            let other = try await store.insert(
                try delivery(artifactBody(path: "a"), endpoint: "two"), dedupWindow: .seconds(60))
            #expect(other.duplicateOf == nil)
        }
    }

    @Test("queries filter by kind, repo, path prefix, build and time", arguments: StoreFactory.all)
    func queries(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let old = Date().addingTimeInterval(-7200)
            _ = try await store.insert(try delivery(artifactBody(path: "com/acme/a.jar"), at: old), dedupWindow: .zero)
            _ = try await store.insert(try delivery(artifactBody(path: "com/acme/b.jar")), dedupWindow: .zero)
            _ = try await store.insert(
                try delivery(artifactBody(path: "org/x%_y.jar", type: "deleted")), dedupWindow: .zero)
            _ = try await store.insert(
                try delivery(artifactBody(repo: "other", path: "com/acme/c.jar")), dedupWindow: .zero)
            _ = try await store.insert(
                try delivery(
                    #"{"domain":"build","event_type":"uploaded","data":{"build_name":"app","build_number":"7"}}"#),
                dedupWindow: .zero)

            func paths(_ query: EventQuery) async throws -> [String] {
                try await store.events(matching: query).map { $0.path ?? $0.subject }
            }
            #expect(
                try await paths(EventQuery(kind: "artifact.deployed")) == [
                    "com/acme/c.jar", "com/acme/b.jar", "com/acme/a.jar",
                ])
            #expect(try await paths(EventQuery(kind: "artifact.*")).count == 4)
            #expect(try await paths(EventQuery(kind: "build.uploaded")) == ["build:app#7"])
            #expect(try await paths(EventQuery(repo: "other")) == ["com/acme/c.jar"])
            #expect(
                try await paths(EventQuery(repo: "libs-release-local", pathPrefix: "com/acme/")) == [
                    "com/acme/b.jar", "com/acme/a.jar",
                ])
            #expect(try await paths(EventQuery(pathPrefix: "org/x%_")) == ["org/x%_y.jar"])
            #expect(try await paths(EventQuery(pathPrefix: "org/x__")) == [])
            #expect(try await paths(EventQuery(buildName: "app")) == ["build:app#7"])
            let recent = try await paths(EventQuery(kind: "artifact.deployed", since: Date().addingTimeInterval(-3600)))
            #expect(recent == ["com/acme/c.jar", "com/acme/b.jar"])
            #expect(try await paths(EventQuery(limit: 2)).count == 2)
        }
    }

    @Test("a missing event is nil", arguments: StoreFactory.all)
    func missing(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let missing = try await store.event(id: 424242)
            #expect(missing == nil)
        }
    }

    @Test("the store reports itself writable", arguments: StoreFactory.all)
    func writable(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            try await store.checkWritable()
        }
    }

    @Test("concurrent inserts all commit with distinct ids", arguments: StoreFactory.all)
    func concurrentInserts(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await store.insert(
                            try delivery(artifactBody(path: "p/\(index)")), dedupWindow: .seconds(60)
                        ).eventID
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(ids.count == 200)
            #expect(try await store.events(matching: EventQuery(limit: 1000)).count == 200)
        }
    }
}

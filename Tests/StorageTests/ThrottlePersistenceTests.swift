import ArtifactoryEvents
import Foundation
import GRDB
import HooksTestSupport
import Testing

@testable import Storage

@Suite("Throttle windows survive restarts and are pruned")
struct SQLiteThrottlePersistenceTests {
    @Test("a window opened before the store is closed still holds after it is opened again")
    func survivesRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let start = EventStoreThrottleContractTests.start
        let job = EventStoreThrottleContractTests.job(key: "app")

        let before = try SQLiteEventStore(configuration: .init(path: path))
        try await before.migrate()
        let first = try await EventStoreThrottleContractTests.event(before, 1, at: start, [job])
        #expect(first.plan.jobs.count == 1)
        try await before.close()

        let after = try SQLiteEventStore(configuration: .init(path: path))
        try await after.migrate()
        let second = try await EventStoreThrottleContractTests.event(after, 2, at: start.addingTimeInterval(60), [job])
        #expect(second.plan.jobs.isEmpty)
        #expect(second.plan.throttled.count == 1)
        try await after.close()
    }

    @Test("retention prunes windows that have run out and keeps open ones")
    func pruned() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("events.sqlite")
        let start = EventStoreThrottleContractTests.start
        // The store's clock stands 5 minutes after the start: a 1-minute window has run out, a
        // 10-minute one has not.
        let store = try SQLiteEventStore(
            configuration: .init(path: path), wallClock: { start.addingTimeInterval(300) })
        try await store.migrate()
        _ = try await EventStoreThrottleContractTests.event(
            store, 1, at: start,
            [
                EventStoreThrottleContractTests.job(rule: "short", key: "a", window: .seconds(60)),
                EventStoreThrottleContractTests.job(rule: "long", key: "a", window: .seconds(600)),
            ])
        _ = try await store.pruneEvents(receivedBefore: Date(timeIntervalSince1970: 0), limit: 100)
        let scopes = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT scope FROM throttles ORDER BY scope")
        }
        #expect(scopes == ["long"])
        try await store.close()
    }
}

@Suite(
    "PostgreSQL store: throttle windows across daemons",
    .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)),
    .timeLimit(.minutes(1)))
struct PostgresThrottleTests {
    @Test("two stores on one database racing on the same keys: exactly one claim of each key wins")
    func oneWinnerPerKey() async throws {
        let database = try await TestPostgres.createDatabase()
        let first = PostgresEventStore(configuration: try postgresConfiguration(database.url))
        let second = PostgresEventStore(configuration: try postgresConfiguration(database.url))
        let pools = [TestPool(first), TestPool(second)]
        do {
            try await first.migrate()
            try await second.migrate()
            let start = Date()
            // 20 keys, each claimed 4 times at once, half through each store.
            let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for key in 0..<20 {
                    for attempt in 0..<4 {
                        let store = attempt % 2 == 0 ? first : second
                        group.addTask {
                            let result = try await EventStoreThrottleContractTests.event(
                                store, key * 10 + attempt, at: start,
                                [EventStoreThrottleContractTests.job(key: "build-\(key)")])
                            return ("build-\(key)", result.plan.jobs.count)
                        }
                    }
                }
                var sent: [String: Int] = [:]
                for try await (key, jobs) in group { sent[key, default: 0] += jobs }
                return sent
            }
            #expect(results.count == 20)
            #expect(results.values.allSatisfy { $0 == 1 }, "\(results)")

            // A store opened afterwards (a restarted daemon) finds the windows.
            let third = PostgresEventStore(configuration: try postgresConfiguration(database.url))
            let pool = TestPool(third)
            let later = try await EventStoreThrottleContractTests.event(
                third, 1000, at: start.addingTimeInterval(60), [EventStoreThrottleContractTests.job(key: "build-0")])
            #expect(later.plan.jobs.isEmpty)
            #expect(later.plan.throttled.count == 1)
            await pool.stop()
        } catch {
            for pool in pools { await pool.stop() }
            await database.drop()
            throw error
        }
        for pool in pools { await pool.stop() }
        await database.drop()
    }
}

import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Synchronization
import Testing

/// What only PostgreSQL has to prove: the contract holds across daemons sharing one database. Each
/// "daemon" here is a store of its own (its own pool) on one test database.
@Suite(
    "PostgreSQL store across daemons",
    .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)),
    .timeLimit(.minutes(3)))
struct PostgresEventStoreTests {
    /// Opens `count` stores on one fresh database, runs `body`, closes them and drops the database.
    func withDaemons(_ count: Int, migrate: Bool = true, _ body: ([PostgresEventStore]) async throws -> Void)
        async throws
    {
        let database = try await TestPostgres.createDatabase()
        let stores = try (0..<count).map { _ in
            PostgresEventStore(configuration: try postgresConfiguration(database.url, poolSize: 4))
        }
        let pools = stores.map(TestPool.init)
        if migrate { try await stores[0].migrate() }
        do {
            try await body(stores)
        } catch {
            for store in stores { try? await store.close() }
            for pool in pools { await pool.stop() }
            await database.drop()
            throw error
        }
        for store in stores { try await store.close() }
        for pool in pools { await pool.stop() }
        await database.drop()
    }

    @Test("daemons starting together migrate once, one after the other")
    func concurrentMigrations() async throws {
        try await withDaemons(4, migrate: false) { stores in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            for store in stores {
                #expect(
                    try await store.schemaVersions() == [
                        "v1-events", "v2-jobs", "v3-retention", "v4-job-counts", "v5-lease-indexes",
                        "v6-partial-indexes", "v7-job-counts-in-code", "v8-duplicate-bodies", "v9-shadow-jobs",
                        "v10-fanout-expansions", "v11-skipped-jobs", "v12-ignored-events", "v13-throttles",
                        "v14-catch-up", "v15-subscription-tests", "v16-activity-indexes",
                    ])
            }
        }
    }

    @Test("a current schema is not migrated again: a role that may only read and write rows starts")
    func leastPrivilegeRole() async throws {
        let database = try await TestPostgres.createDatabase()
        let owner = PostgresEventStore(configuration: try postgresConfiguration(database.url, poolSize: 2))
        try await owner.withPool { try await owner.migrate() }
        let role = "ah_rows_\(UUID().uuidString.prefix(8).lowercased())"
        try await database.execute("CREATE ROLE \(role) LOGIN")
        try await database.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        try await database.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)")
        try await database.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(role)")
        var components = try #require(URLComponents(string: database.url))
        components.user = role
        let limited = PostgresEventStore(configuration: try postgresConfiguration(components.string!, poolSize: 2))
        let limitedPool = TestPool(limited)
        do {
            try await limited.migrate()
            #expect(try await limited.schemaState() == SchemaState(pending: [], unknown: []))
            _ = try await limited.insert(try delivery(artifactBody(path: "r.jar")), dedupWindow: .zero)
        } catch {
            Issue.record("a row-only role could not start: \(error)")
        }
        // A failure inside a transaction is told in PostgreSQL's words, not as its wrapper.
        try await database.execute("REVOKE INSERT ON events FROM \(role)")
        await #expect {
            _ = try await limited.insert(try delivery(artifactBody(path: "s.jar")), dedupWindow: .zero)
        } throws: { error in
            (error as? StorageError)?.description.hasSuffix(
                "PostgreSQL: permission denied for table events (42501)") == true
        }
        await limitedPool.stop()

        // A schema a newer version upgraded is refused, by the daemon and the commands alike.
        try await database.execute("INSERT INTO schema_migrations (version) VALUES ('v99-future')")
        let older = PostgresEventStore(configuration: try postgresConfiguration(database.url, poolSize: 2))
        let olderPool = TestPool(older)
        #expect(try await older.schemaState().unknown == ["v99-future"])
        await #expect {
            try await older.migrate()
        } throws: { error in
            (error as? StorageError)?.description.contains("upgraded by a newer artifactory-hooks") == true
        }
        await olderPool.stop()
        try await database.execute("DROP OWNED BY \(role)")
        try await database.execute("DROP ROLE \(role)")
        await database.drop()
    }

    @Test("the same delivery at two daemons at once is stored once as original")
    func dedupAcrossDaemons() async throws {
        try await withDaemons(2) { stores in
            let body = artifactBody(path: "same.jar")
            let results = try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await stores[index % 2].insert(try delivery(body), dedupWindow: .seconds(60)) { _, _ in
                            EventPlan(jobs: [EventStoreJobContractTests.job(0)])
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let originals = results.filter { !$0.isDuplicate }
            #expect(originals.count == 1)
            let original = try #require(originals.first)
            #expect(results.filter(\.isDuplicate).allSatisfy { $0.duplicateOf == original.eventID })
            #expect(results.map(\.planned).reduce(0, +) == 1)
            #expect(try await stores[1].jobs(matching: JobQuery()).count == 1)
        }
    }

    /// Who runs what: fails the test when two jobs of a subject overlap, a job runs twice, or a
    /// subject's jobs run out of order.
    final class Ledger: Sendable {
        struct State {
            var running: [String: Int64] = [:]
            var ran: [String: [Int64]] = [:]
            var problems: [String] = []
            var finished = 0
        }
        let state = Mutex(State())
        /// Whether a subject's jobs must run in id order (not when jobs commit concurrently).
        let checkOrder: Bool

        init(checkOrder: Bool = true) { self.checkOrder = checkOrder }

        func begin(_ job: StoredJob) {
            state.withLock { state in
                if let other = state.running[job.subject] {
                    state.problems.append("job \(job.id) started while job \(other) of \(job.subject) ran")
                }
                if state.ran.values.contains(where: { $0.contains(job.id) }) {
                    state.problems.append("job \(job.id) ran twice")
                }
                if checkOrder, let last = state.ran[job.subject]?.last, last > job.id {
                    state.problems.append("job \(job.id) of \(job.subject) ran after job \(last)")
                }
                state.running[job.subject] = job.id
                state.ran[job.subject, default: []].append(job.id)
            }
        }

        func end(_ job: StoredJob) {
            state.withLock { state in
                state.running[job.subject] = nil
                state.finished += 1
            }
        }
    }

    @Test("concurrent leasers on several daemons run each subject's jobs one at a time, in order, once")
    func concurrentLeasers() async throws {
        try await withDaemons(3) { stores in
            // 8 subjects, 6 events each, 2 jobs per event on the same subject: 96 jobs.
            let subjects = (0..<8).map { "artifact:r/item-\($0)" }
            for round in 0..<6 {
                for (index, subject) in subjects.enumerated() {
                    try await EventStoreJobContractTests.plan(
                        stores[index % 3], path: "\(round)/\(index)",
                        [
                            EventStoreJobContractTests.job(0, subject: subject),
                            EventStoreJobContractTests.job(1, subject: subject),
                        ])
                }
            }
            let ledger = Ledger()
            try await Self.runLeasers(stores, ledger: ledger, until: 96)
            let state = ledger.state.withLock { $0 }
            #expect(state.problems == [])
            #expect(state.finished == 96)
            #expect(try await stores[0].jobs(matching: JobQuery(state: .done, limit: 1000)).count == 96)
        }
    }

    @Test("jobs committed while others lease: never two jobs of one subject at once, each once")
    func leasersWithConcurrentInserts() async throws {
        try await withDaemons(3) { stores in
            // Ids come from a sequence, so a job can commit after a younger job of its subject
            // already runs; the lease must still wait for that one.
            let ledger = Ledger(checkOrder: false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        for round in 0..<30 {
                            try await EventStoreJobContractTests.plan(
                                store, path: "\(index)/\(round)",
                                [EventStoreJobContractTests.job(0, subject: "artifact:r/hot-\(round % 3)")])
                        }
                    }
                }
                group.addTask { try await Self.runLeasers(stores, ledger: ledger, until: 90) }
                try await group.waitForAll()
            }
            let state = ledger.state.withLock { $0 }
            #expect(state.problems == [])
            #expect(state.finished == 90)
        }
    }

    /// Two leasers per daemon lease, "run" (2 ms) and finish jobs until `total` have finished.
    static func runLeasers(_ stores: [PostgresEventStore], ledger: Ledger, until total: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(40)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                for worker in 0..<2 {
                    let owner = "daemon-\(index)-worker-\(worker)"
                    group.addTask {
                        while ledger.state.withLock({ $0.finished }) < total, ContinuousClock.now < deadline {
                            let leased = try await store.leaseJobs(
                                owner: owner, limit: 3, now: Date(), leaseDuration: .seconds(30),
                                effectWindow: .seconds(5))
                            if leased.isEmpty {
                                try await Task.sleep(for: .milliseconds(20))
                                continue
                            }
                            for job in leased { ledger.begin(job.job) }
                            try await Task.sleep(for: .milliseconds(2))
                            for job in leased {
                                ledger.end(job.job)
                                let recorded = try await EventStoreJobContractTests.finish(
                                    store, job.job.id, .done, owner: owner)
                                #expect(recorded)
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Counts wake-ups.
    final class Counter: Sendable {
        let value = Mutex(0)
    }

    @Test("a job planned on one daemon wakes the other through NOTIFY")
    func notifyAcrossDaemons() async throws {
        try await withDaemons(2) { stores in
            let wakeups = Counter()
            func waitFor(_ count: Int) async throws -> Bool {
                let deadline = ContinuousClock.now + .seconds(5)
                while wakeups.value.withLock({ $0 }) < count {
                    guard ContinuousClock.now < deadline else { return false }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return true
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                let listener = stores[0]
                group.addTask { try await listener.watchJobs { wakeups.value.withLock { $0 += 1 } } }
                // The first wake-up says it listens (and covers anything missed before).
                #expect(try await waitFor(1))
                try await EventStoreJobContractTests.plan(stores[1], path: "n", [EventStoreJobContractTests.job(0)])
                #expect(try await waitFor(2), "no notification within 5 seconds")
                group.cancelAll()
            }
        }
    }
}

import Foundation
import HooksTestSupport
import Logging
import PostgresNIO
import Testing

@testable import Storage

/// The per-subject advisory lock, shown deterministically: another "daemon" in the middle of
/// leasing a subject (holding its lock in an open transaction) keeps every other leaser off that
/// subject, and only that one, until it commits.
@Suite(
    "PostgreSQL store: the per-subject lease lock",
    .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)),
    .timeLimit(.minutes(1)))
struct PostgresSubjectLockTests {
    @Test("a subject whose lock another leaser holds is skipped, not waited for")
    func lockedSubjectIsSkipped() async throws {
        let database = try await TestPostgres.createDatabase()
        let store = PostgresEventStore(configuration: try postgresConfiguration(database.url))
        let pool = TestPool(store)
        do {
            try await store.migrate()
            try await EventStoreJobContractTests.plan(
                store, path: "1",
                [
                    EventStoreJobContractTests.job(0, subject: "busy"),
                    EventStoreJobContractTests.job(0, subject: "free"),
                ])
            let logger = Logger(label: "test")
            let other = try await PostgresConnection.connect(
                configuration: .init(
                    host: store.configuration.host, port: store.configuration.port,
                    username: store.configuration.user, password: nil, database: store.configuration.database,
                    tls: .disable),
                id: 1, logger: logger)
            try await other.query("BEGIN", logger: logger)
            try await other.query(
                "SELECT pg_advisory_xact_lock(\(PostgresEventStore.subjectLockClass), hashtext('busy'))",
                logger: logger)
            let whileLocked = try await EventStoreJobContractTests.lease(store)
            #expect(whileLocked.map(\.job.subject) == ["free"])
            try await other.query("COMMIT", logger: logger)
            try await other.close()
            #expect(try await EventStoreJobContractTests.lease(store).map(\.job.subject) == ["busy"])
        } catch {
            await pool.stop()
            await database.drop()
            throw error
        }
        await pool.stop()
        await database.drop()
    }
}

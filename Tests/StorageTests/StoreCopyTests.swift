import ArtifactoryEvents
import Foundation
import HooksTestSupport
import Storage
import Testing

@Suite(
    "store copy: SQLite into PostgreSQL",
    .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)),
    .timeLimit(.minutes(1)))
struct StoreCopyTests {
    /// A SQLite history with every kind of row: duplicates, jobs in several states, attempts, plan
    /// failures and live effects.
    static func history(in store: SQLiteEventStore, start: Date) async throws {
        let effect = ExpectedEffect(subject: "artifact:libs-release-local/e.jar", kind: "artifact_property.added")
        for index in 0..<30 {
            var new = try delivery(
                artifactBody(path: "h/\(index % 25).jar"), at: start.addingTimeInterval(Double(index)))
            // Every ninth event was not taken by its endpoint's accept: filter.
            if index % 9 == 8 { new.ignored = "accept.origin: the event has no origin" }
            var job = NewJob(
                rule: "tag", actionIndex: 0, kind: "set_properties", subject: "artifact:r/h\(index % 7)",
                request: #"{"method":"PUT","n":\#(index)}"#, effects: index == 3 ? [effect] : [])
            // The sixth event's job opens a throttle window for an hour.
            if index == 5 { job.throttle = ThrottleClaim(scope: "tag", key: "h5", window: .seconds(3600)) }
            _ = try await store.insert(new, dedupWindow: .seconds(60)) { [job] _, _ in
                EventPlan(
                    jobs: [job],
                    failures: index % 10 == 0
                        ? [
                            PlanFailure(
                                rule: "copy", actionIndex: 1, kind: "copy", code: "missing_field", message: "no x")
                        ]
                        : [])
            }
        }
        // One event whose planning was deferred (backpressure), id 31.
        _ = try await store.insert(
            try delivery(artifactBody(path: "deferred.jar"), at: start.addingTimeInterval(30)),
            dedupWindow: .seconds(60)
        ) { _, _ in .deferred }
        let leased = try await store.leaseJobs(
            owner: "w", limit: 5, now: start.addingTimeInterval(40), leaseDuration: .seconds(60),
            effectWindow: .seconds(3600))
        for (position, job) in leased.enumerated() {
            let next: JobAttempt.Next =
                position == 0
                ? .dead
                : position == 1 ? .retry(at: start.addingTimeInterval(100)) : position == 4 ? .skipped : .done
            _ = try await store.finishAttempt(
                JobAttempt(
                    jobID: job.job.id, startedAt: start.addingTimeInterval(41), duration: .milliseconds(7),
                    httpStatus: 200, message: position < 2 ? "boom" : nil, next: next),
                owner: "w")
        }
    }

    /// Runs `body` with a migrated SQLite store and an empty, migrated PostgreSQL store (its pool
    /// running), and removes both afterwards, also when `body` throws.
    static func withStores(
        _ body: (SQLiteEventStore, PostgresEventStore) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestPostgres.createDatabase()
        let source = try SQLiteEventStore(configuration: .init(path: directory.path("events.sqlite")))
        try await source.migrate()
        let target = PostgresEventStore(configuration: try postgresConfiguration(database.url))
        let pool = TestPool(target)
        do {
            try await target.migrate()
            try await body(source, target)
        } catch {
            await pool.stop()
            try? await source.close()
            await database.drop()
            throw error
        }
        await pool.stop()
        try await source.close()
        await database.drop()
    }

    @Test("copy keeps every row, id and order; sequences and dedup continue after it; a used target is refused")
    func roundTrip() async throws {
        try await Self.withStores { source, target in
            let start = Date()
            try await Self.history(in: source, start: start)

            let counts = try await StoreCopy.copy(from: source, to: target, replace: false)
            #expect(counts.events == 31)
            #expect(counts.fingerprints == 26)
            #expect(counts.jobs == 25)
            #expect(counts.attempts == 5)
            #expect(counts.planFailures == 3)
            #expect(counts.effects == 1)
            #expect(counts.throttles == 1)

            let all = EventQuery(limit: 1000)
            #expect(try await target.events(matching: all) == (try await source.events(matching: all)))
            #expect(try await target.events(matching: all).count { $0.ignored != nil } == 3)
            let jobs = JobQuery(limit: 1000)
            #expect(try await target.jobs(matching: jobs) == (try await source.jobs(matching: jobs)))
            for job in try await source.jobs(matching: jobs) {
                #expect(try await target.attempts(forJob: job.id) == (try await source.attempts(forJob: job.id)))
                #expect(
                    try await target.planFailures(forEvent: job.eventID)
                        == (try await source.planFailures(forEvent: job.eventID)))
            }

            // New rows continue after the copied ids, and dedup knows the copied fingerprints.
            let repeated = try await target.insert(
                try delivery(artifactBody(path: "h/24.jar"), at: start.addingTimeInterval(31)),
                dedupWindow: .seconds(60))
            #expect(repeated.eventID == 32)
            #expect(try await target.deferredEvents(limit: 10).map(\.id) == [31])
            let original = try await source.events(matching: all).first { $0.path == "h/24.jar" }
            #expect(repeated.duplicateOf == original?.id)
            let planned = try await target.addPlan(
                EventPlan(jobs: [EventStoreJobContractTests.job(0, subject: "fresh")]), toEvent: 32, origin: .replay)
            #expect(planned == 1)
            #expect(try await target.jobs(forEvent: 32).map(\.id) == [26])
            // The copied throttle window still holds.
            var claimed = EventStoreJobContractTests.job(0, subject: "again")
            claimed.throttle = ThrottleClaim(scope: "tag", key: "h5", window: .seconds(3600))
            let throttled = try await target.commitPlan(EventPlan(jobs: [claimed]), toEvent: 32, origin: .replay)
            #expect(throttled.jobs.isEmpty)
            #expect(throttled.throttled.count == 1)
            // The copied effect still marks an event self-caused.
            let caused = try await target.insert(
                try delivery(
                    #"{"domain":"artifact_property","event_type":"added","data":{"repo_key":"libs-release-local","path":"e.jar","property_key":"k"}}"#
                ),
                dedupWindow: .zero)
            #expect(try await target.event(id: caused.eventID)?.selfCaused == true)

            // A target in use is refused, unless told to replace it.
            await #expect(throws: StorageError.self) {
                try await StoreCopy.copy(from: source, to: target, replace: false)
            }
            let again = try await StoreCopy.copy(from: source, to: target, replace: true)
            #expect(again == counts)
            #expect(try await target.events(matching: all) == (try await source.events(matching: all)))
        }
    }

    @Test("copy keeps a fan-out's children and progress: resuming on PostgreSQL inserts no child twice")
    func fanOutCopied() async throws {
        try await Self.withStores { source, target in
            // Given: an expansion job that recorded its first page of two children on SQLite.
            let start = Date()
            _ = try await source.insert(try delivery(artifactBody(path: "f/a.jar"), at: start), dedupWindow: .zero) {
                _, _ in
                EventPlan(jobs: [
                    NewJob(
                        rule: "fan", actionIndex: 0, kind: NewJob.expansionKind, subject: "for_each:event#1",
                        request: #"{"method":"POST"}"#)
                ])
            }
            let children = (0..<2).map { index in
                var child = NewJob(
                    rule: "fan", actionIndex: 0, kind: "set_properties", subject: "artifact:r/f/\(index).jar",
                    request: #"{"method":"PUT","n":\#(index)}"#)
                child.expansionKey = "r/f/\(index).jar"
                return child
            }
            let leased = try await source.leaseJobs(
                owner: "w", limit: 1, now: start, leaseDuration: .seconds(600), effectWindow: .seconds(60))
            let page = ExpansionPage(
                jobID: try #require(leased.first).job.id, children: children,
                progress: ExpansionProgress(nextOffset: 2, found: 3), now: start,
                leaseExpiresAt: start.addingTimeInterval(600), finish: nil)
            #expect(try await source.recordExpansionPage(page, owner: "w"))

            // When the history is copied
            let counts = try await StoreCopy.copy(from: source, to: target, replace: false)

            // Then the jobs and the progress are the same on PostgreSQL…
            #expect(counts.jobs == 3)
            #expect(counts.expansions == 1)
            let jobs = JobQuery(limit: 100)
            #expect(try await target.jobs(matching: jobs) == (try await source.jobs(matching: jobs)))
            #expect(try await target.expansionProgress(jobID: 1) == ExpansionProgress(nextOffset: 2, found: 3))
            // …and the same page written again there (the worker died after its commit) adds nothing.
            let again = ExpansionPage(
                jobID: 1, children: children, progress: ExpansionProgress(nextOffset: 2, found: 3), now: start,
                leaseExpiresAt: start.addingTimeInterval(600), finish: nil)
            #expect(try await target.recordExpansionPage(again, owner: "w"))
            #expect(try await target.jobs(matching: jobs).count == 3)
        }
    }

    @Test("copy keeps how each event arrived and catch-up's checkpoints")
    func catchUp() async throws {
        try await Self.withStores { source, target in
            let now = Date()
            var caught = try delivery(artifactBody(path: "c.jar"), at: now, from: nil)
            caught.arrival = .catchUp
            let stored = try await source.insert(caught, dedupWindow: .zero)
            let until = now.addingTimeInterval(300)
            _ = try await source.claimCatchUp(subscription: "hooks-a", owner: "one", now: now, until: until)
            _ = try await source.advanceCatchUp(subscription: "hooks-a", owner: "one", checkpoint: 1234, until: until)
            try await source.releaseCatchUp(subscription: "hooks-a", owner: "one")

            let counts = try await StoreCopy.copy(from: source, to: target, replace: false)
            #expect(counts.checkpoints == 1)
            #expect(try await target.event(id: stored.eventID)?.arrival == .catchUp)
            #expect(
                try await target.claimCatchUp(subscription: "hooks-a", owner: "two", now: now, until: until)
                    == .taken(checkpoint: 1234))
        }
    }
}

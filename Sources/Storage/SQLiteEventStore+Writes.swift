import GRDB

extension SQLiteEventStore {
    /// One write waiting for the next group commit: a delivery, a finished attempt or a lease.
    ///
    /// All three share one queue, so under load one transaction (and one fsync) carries the
    /// deliveries that came in, the attempts that ended and the worker's next lease, instead of
    /// each queueing its own transaction behind the others on SQLite's single writer.
    enum PendingWrite: Sendable {
        case insert(PendingInsert)
        case finish(PendingFinish)
        case lease(PendingLease)

        /// Where the write goes in its batch: deliveries first, then finished attempts, then
        /// leases, so a lease sees the jobs planned in the same transaction and the subjects that
        /// attempts just freed.
        var phase: Int {
            switch self {
            case .insert: 0
            case .finish: 1
            case .lease: 2
            }
        }
    }

    /// What one ``PendingWrite`` returns.
    enum WriteOutput: Sendable {
        case inserted(IngestResult)
        case finished(Bool)
        case leased([LeasedJob])
    }

    /// Writes a batch in one transaction on the writer connection, in phase order (the callers'
    /// order within a phase). The whole batch is first written in one savepoint; if an item fails,
    /// that savepoint is rolled back and the batch is written again with each item in its own
    /// savepoint, so one bad item fails alone. (A savepoint per item costs two statements and a
    /// copy of every page it changes: about 5% of the daemon's CPU under ingest load, spent for the
    /// rare batch with a failing item; the deliveries written again are planned again, which is
    /// why planning is pure and its metrics follow from the result.) When the commit itself fails,
    /// every item of the batch fails. Results come back in batch order.
    ///
    /// A batch of leases only commits without its own fsync (`synchronous = NORMAL`, which in WAL
    /// mode still survives a crash of the daemon): a lease lost to a power cut leaves its job
    /// pending, and it runs again, which at-least-once delivery allows. Any batch that carries a
    /// delivery or an attempt commits with the configured level.
    static func commit(_ batch: [PendingWrite], in db: Database, synchronous: Synchronous) -> [Result<
        WriteOutput, any Error
    >] {
        let order = batch.indices.sorted { (batch[$0].phase, $0) < (batch[$1].phase, $1) }
        var results = [Result<WriteOutput, any Error>?](repeating: nil, count: batch.count)
        let leasesOnly = batch.allSatisfy { $0.phase == 2 }
        do {
            if leasesOnly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { if leasesOnly { try? db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)") } }
            try db.inTransaction(.immediate) {
                do {
                    try db.inSavepoint {
                        var counts = JobCountChanges()
                        for index in order {
                            results[index] = .success(try write(batch[index], counts: &counts, in: db))
                        }
                        try counts.apply(in: db)
                        return .commit
                    }
                } catch {
                    for index in order { results[index] = Result { try writeAlone(batch[index], in: db) } }
                }
                return .commit
            }
            return results.map { $0! }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Writes `item` in a savepoint of its own: when it fails, nothing of it stays.
    private static func writeAlone(_ item: PendingWrite, in db: Database) throws -> WriteOutput {
        var output: WriteOutput?
        try db.inSavepoint {
            var counts = JobCountChanges()
            output = try write(item, counts: &counts, in: db)
            try counts.apply(in: db)
            return .commit
        }
        return output!
    }

    /// Writes `item`, recording the jobs it inserts or moves in `counts`.
    private static func write(_ item: PendingWrite, counts: inout JobCountChanges, in db: Database) throws
        -> WriteOutput
    {
        switch item {
        case .insert(let pending): .inserted(try insert(pending, counts: &counts, in: db))
        case .finish(let pending): .finished(try finish(pending, counts: &counts, in: db))
        case .lease(let pending): .leased(try lease(pending, counts: &counts, in: db))
        }
    }

    /// Queues `item` for the next group commit and returns its result once committed.
    func submit(_ item: PendingWrite) async throws -> WriteOutput {
        do {
            return try await writes.submit(item)
        } catch {
            if error is StoreFileGuard.Replaced { await restoreFile() }
            throw StorageError(code: .writeFailed, location: configuration.path, underlying: error)
        }
    }
}

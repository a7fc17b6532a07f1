public import Foundation

/// The store's side of fan-out (`for_each`): an expansion job turns, page by page, into child jobs
/// of the same event.
///
/// Each page is one transaction that inserts the page's children and records how far the
/// expansion got, while the worker still holds the expansion's lease; the last page also finishes
/// the expansion. A child's ``NewJob/expansionKey`` is unique within its expansion, so a page
/// written again (the worker died after the commit and the query runs again) inserts nothing twice.
public protocol ExpansionQueue: Sendable {
    /// How far the expansion `jobID` got: `nil` when no page was recorded yet.
    func expansionProgress(jobID: Int64) async throws -> ExpansionProgress?

    /// Inserts `page.children` under the expansion (those whose key it already has are skipped),
    /// records `page.progress`, extends the lease to `page.leaseExpiresAt` and, with
    /// `page.finish`, records that attempt and moves the expansion on as ``JobQueue/finishAttempt(_:owner:)``
    /// does: all in one transaction, and only if `owner` still holds the expansion's lease.
    /// Returns whether it did.
    func recordExpansionPage(_ page: ExpansionPage, owner: String) async throws -> Bool
}

/// How far an expansion got.
public struct ExpansionProgress: Sendable, Equatable {
    /// The next result to read, counted from the query's first (after its own `.offset()`).
    public var nextOffset: Int
    /// How many items the query found when it was counted, if it was.
    public var found: Int?

    public init(nextOffset: Int, found: Int?) {
        self.nextOffset = nextOffset
        self.found = found
    }
}

/// One page of an expansion, written in one transaction.
public struct ExpansionPage: Sendable, Equatable {
    /// The expansion job.
    public var jobID: Int64
    /// The page's child jobs, each with its ``NewJob/expansionKey``; they join the expansion's event.
    public var children: [NewJob]
    /// The expansion's progress after this page.
    public var progress: ExpansionProgress
    /// When the page was written: the children's creation and due time.
    public var now: Date
    /// The expansion's lease runs until then (it is renewed with every page).
    public var leaseExpiresAt: Date
    /// The attempt that ends the expansion (the last page's, or a dead letter), if this page ends it.
    public var finish: JobAttempt?

    public init(
        jobID: Int64, children: [NewJob], progress: ExpansionProgress, now: Date, leaseExpiresAt: Date,
        finish: JobAttempt?
    ) {
        self.jobID = jobID
        self.children = children
        self.progress = progress
        self.now = now
        self.leaseExpiresAt = leaseExpiresAt
        self.finish = finish
    }
}

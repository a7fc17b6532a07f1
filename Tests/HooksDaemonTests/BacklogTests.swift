import HooksDaemon
import Testing

@Suite("Backlog: when planning is deferred")
struct BacklogTests {
    /// One delivery through the backlog: whether it was deferred.
    @discardableResult
    static func ingest(_ backlog: Backlog, planning jobs: Int = 1, duplicate: Bool = false) -> Bool {
        let deferred = backlog.beginIngest()
        _ = backlog.finishIngest(deferred: deferred, stored: !duplicate, planned: deferred ? 0 : jobs)
        return deferred
    }

    @Test("over the limit defers; the warning transition comes once per episode")
    func oncePerEpisode() {
        let backlog = Backlog(limit: 3)
        #expect(!Self.ingest(backlog, planning: 3))
        #expect(!backlog.beginIngest())
        #expect(backlog.finishIngest(deferred: false, stored: true, planned: 1) == .started(unfinished: 4))
        #expect(Self.ingest(backlog))
        #expect(Self.ingest(backlog))
        // A duplicate is deferred too, but plans nothing later.
        #expect(Self.ingest(backlog, duplicate: true))
        #expect(backlog.snapshot.deferred == 2)
        #expect(!backlog.mayPlan)

        // The worker caught up, but two events still wait: new ones queue behind them.
        #expect(backlog.refresh(unfinished: 0) == nil)
        #expect(backlog.mayPlan)
        #expect(backlog.snapshot.active)
        #expect(backlog.deferredEventPlanned(jobs: 1) == nil)
        #expect(backlog.deferredEventPlanned(jobs: 1) == .ended)
        #expect(!backlog.snapshot.active)
        #expect(backlog.snapshot.unfinished == 2)
    }

    @Test("an empty read clears the waiting count only if no deferral was decided, committed or pending meanwhile")
    func generationGuardsTheClear() {
        let backlog = Backlog(limit: 1)
        Self.ingest(backlog, planning: 2)
        #expect(Self.ingest(backlog))
        _ = backlog.refresh(unfinished: 0)

        // A delivery decided to defer and has not committed: an empty read proves nothing.
        let before = backlog.generation
        #expect(backlog.beginIngest())
        #expect(backlog.noDeferredEvents(since: before) == nil)
        #expect(backlog.noDeferredEvents(since: backlog.generation) == nil)
        // It committed after the read started: still no clear.
        let during = backlog.generation
        _ = backlog.finishIngest(deferred: true, stored: true, planned: 0)
        #expect(backlog.noDeferredEvents(since: during) == nil)
        #expect(backlog.snapshot.deferred == 2)
        // A read that started after every commit and found nothing clears the count.
        #expect(backlog.noDeferredEvents(since: backlog.generation) == .ended)
        #expect(!backlog.beginIngest())
    }
}

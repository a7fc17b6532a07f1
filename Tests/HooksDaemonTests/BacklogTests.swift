import HooksDaemon
import Testing

@Suite("Backlog: when planning is deferred")
struct BacklogTests {
    @Test("over the limit defers; the warning transition comes once per episode")
    func oncePerEpisode() {
        let backlog = Backlog(limit: 3)
        #expect(!backlog.shouldDefer())
        #expect(backlog.jobsPlanned(3) == nil)
        #expect(!backlog.shouldDefer())
        #expect(backlog.jobsPlanned(1) == .started(unfinished: 4))
        #expect(backlog.shouldDefer())
        #expect(backlog.eventDeferred() == nil)
        #expect(backlog.eventDeferred() == nil)
        #expect(!backlog.mayPlan)

        // The worker caught up, but two events still wait: new ones queue behind them.
        #expect(backlog.refresh(unfinished: 0) == nil)
        #expect(backlog.shouldDefer())
        #expect(backlog.mayPlan)
        #expect(backlog.deferredEventPlanned(jobs: 1) == nil)
        #expect(backlog.deferredEventPlanned(jobs: 1) == .ended)
        #expect(!backlog.shouldDefer())
        #expect(backlog.snapshot.unfinished == 2)
    }

    @Test("an empty read clears the waiting count only if nothing was deferred meanwhile")
    func generationGuardsTheClear() {
        let backlog = Backlog(limit: 10)
        _ = backlog.eventDeferred()
        let before = backlog.generation
        // An event is deferred after the planner's read started: the read may not have seen it.
        _ = backlog.eventDeferred()
        #expect(backlog.noDeferredEvents(since: before) == nil)
        #expect(backlog.shouldDefer())
        // A read that started after it and found nothing clears the count.
        #expect(backlog.noDeferredEvents(since: backlog.generation) == .ended)
        #expect(!backlog.shouldDefer())
    }
}

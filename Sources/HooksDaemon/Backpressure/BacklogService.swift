import ArtifactoryEvents
import Foundation
public import Logging
public import ServiceLifecycle
public import Storage

/// Watches the job backlog and plans deferred events.
///
/// Every `interval` it reads the job counts from the store (the `jobs{state}` gauges and the
/// ``Backlog``), and while the backlog is below `worker.max_pending` it plans deferred events,
/// oldest first, `batchSize` at a time, with the rules in force and each event's stored loop-guard
/// finding; each plan is reported (metrics, warnings) once it is added, and the worker is woken
/// after each batch.
public struct BacklogService: Service {
    let store: any EventStore
    let backlog: Backlog
    let rules: ActiveRules
    let planner: EventPlanner
    let metrics: DaemonMetrics
    let wakeWorker: @Sendable () -> Void
    let clock: any DaemonClock
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    /// - Parameters:
    ///   - interval: how often the backlog is read. Default 1 second.
    ///   - batchSize: deferred events planned per store read. Default 100.
    ///   - wakeWorker: called after deferred events were planned into jobs.
    ///   - clock: the wall-clock time the deferred events are counted at.
    public init(
        store: any EventStore, backlog: Backlog, rules: ActiveRules, planner: EventPlanner, metrics: DaemonMetrics,
        interval: Duration = .seconds(1), batchSize: Int = 100, logger: Logger,
        wakeWorker: @escaping @Sendable () -> Void, clock: any DaemonClock = SystemClock()
    ) {
        self.clock = clock
        self.store = store
        self.backlog = backlog
        self.rules = rules
        self.planner = planner
        self.metrics = metrics
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
        self.wakeWorker = wakeWorker
    }

    public func run() async throws {
        do {
            let status = try await store.status(since: clock.now)
            log(backlog.setDeferred(status.deferredEvents))
        } catch {
            logger.error("Could not count deferred events; planning them anyway", metadata: ["error": "\(error)"])
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await tick()
            } catch {
                logger.error("Could not read or plan the backlog; trying again", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One look at the backlog: refresh the counts, then plan deferred events while there is room.
    func tick() async throws {
        let counts = try await store.jobCounts()
        metrics.setJobCounts(counts)
        let unfinished = StoredJob.State.unfinishedCount(counts)
        log(backlog.refresh(unfinished: unfinished))
        var planned = 0
        while backlog.mayPlan, !Task.isShuttingDownGracefully {
            let generation = backlog.generation
            let events = try await store.deferredEvents(limit: batchSize)
            if events.isEmpty {
                log(backlog.noDeferredEvents(since: generation))
                break
            }
            let ruleSet = rules.current
            var jobs = 0
            for stored in events {
                // Stop as soon as the planned jobs fill the backlog again.
                guard backlog.mayPlan else { break }
                var plan: EventPlan
                if let event = try? WebhookEvent(body: stored.body) {
                    plan = planner.plan(
                        event, rules: ruleSet, eventID: stored.id, now: stored.receivedAt,
                        selfCaused: stored.selfCaused, hop: stored.hop)
                } else {
                    // Stored bodies decoded at ingest; one that no longer does plans nothing.
                    plan = .empty
                }
                // The committed plan: its throttled actions moved out of the jobs.
                plan = try await store.commitPlan(plan, toEvent: stored.id, origin: .ingest)
                planner.report(plan, eventID: stored.id)
                // Shadow jobs never run: they neither fill the backlog nor wake the worker.
                jobs += plan.liveJobCount
                planned += 1
                log(backlog.deferredEventPlanned(jobs: plan.liveJobCount))
            }
            if jobs > 0 { wakeWorker() }
        }
        if planned > 0 {
            logger.info("Planned deferred events", metadata: ["events.count": "\(planned)"])
        }
        let snapshot = backlog.snapshot
        metrics.setBackpressure(active: snapshot.active, deferredEvents: snapshot.deferred)
    }

    private func log(_ transition: Backlog.Transition?) {
        Self.log(transition, limit: backlog.limit, logger: logger)
    }

    /// Logs a change of the backpressure state: a warning when it starts, once per episode.
    static func log(_ transition: Backlog.Transition?, limit: Int, logger: Logger) {
        switch transition {
        case .started(let unfinished):
            logger.warning(
                "Backpressure: new events are stored and acknowledged, and planned once unfinished jobs are below worker.max_pending",
                metadata: ["jobs.unfinished": "\(unfinished)", "worker.max_pending": "\(limit)"])
        case .ended:
            logger.info("Backpressure over: every deferred event is planned")
        case nil:
            break
        }
    }
}

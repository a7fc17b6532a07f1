public import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
public import Logging
import Rules
public import Storage

/// Runs expansion jobs (`for_each`): counts what the query finds, then reads it page by page
/// (`.offset()`/`.limit()` on `POST api/search/aql`) and, per page, writes the page's child jobs
/// (one per action of the `for_each` for each item, all of an item's or none) and the expansion's
/// progress in one store transaction; the last page finishes the expansion.
///
/// A query that finds more than `max_items` makes the expansion a dead letter saying how many it
/// found, before any child exists. A failed query call (429, 5xx, a lost connection) is handed
/// to the worker like any failed call and retried; the next attempt resumes from the recorded
/// progress, and children already inserted are not inserted again (their key is unique within
/// the expansion).
public struct ExpansionRunner: Sendable {
    let client: ArtifactoryClient
    let store: any ExpansionQueue
    let settings: DaemonConfig.Worker
    let clock: any DaemonClock
    let logger: Logger

    public init(
        client: ArtifactoryClient, store: any ExpansionQueue, settings: DaemonConfig.Worker,
        clock: any DaemonClock = SystemClock(), logger: Logger
    ) {
        self.client = client
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// How an expansion attempt ended.
    enum Outcome: Sendable, Equatable {
        /// The expansion is finished and recorded (`done`, or `dead` past `max_items`).
        case recorded(outcome: String, httpStatus: Int?)
        /// The lease moved to another worker; nothing more was written.
        case leaseLost
        /// The attempt failed; the worker records it and decides the retry.
        case failed(ExecutionResult)
    }

    /// The fields every page asks for, besides those of the query's own `.include()`.
    static let pageFields = [
        "repo", "path", "name", "type", "size", "created", "created_by", "modified", "modified_by", "updated",
        "sha256", "actual_sha1", "actual_md5", "depth",
    ]

    /// How many results the count reads: always one past `maxItems` (so a query over the limit is
    /// caught whatever the limit), and up to ten times it, at most 100,000, so the dead letter can
    /// often say how many the query found.
    public static func countCap(maxItems: Int) -> Int {
        max(maxItems + 1, min(maxItems * 10, 100_000))
    }

    func run(_ leased: LeasedJob, owner: String, startedAt: Date, wake: @Sendable () -> Void) async -> Outcome {
        let planned: PlannedAction
        let query: AQLText
        do {
            planned = try PlannedAction(storedJSON: leased.job.request)
            query = try AQLText(planned.request.body ?? "")
        } catch {
            return .failed(
                ExecutionResult(
                    httpStatus: nil, message: "the stored expansion does not decode: \(error)", failure: .permanent))
        }
        guard let expansion = planned.expansion, let planner = ChildPlanner(planned) else {
            return .failed(
                ExecutionResult(
                    httpStatus: nil, message: "the job is not an expansion of an item action", failure: .permanent))
        }
        let maxItems = expansion.maxItems ?? settings.maxFanoutItems
        let callStarted = ContinuousClock.now
        func attempt(_ next: JobAttempt.Next, status: Int?, message: String) -> JobAttempt {
            JobAttempt(
                jobID: leased.job.id, startedAt: startedAt, duration: ContinuousClock.now - callStarted,
                httpStatus: status, message: message, next: next)
        }
        var progress: ExpansionProgress
        do {
            progress =
                try await store.expansionProgress(jobID: leased.job.id) ?? ExpansionProgress(nextOffset: 0, found: nil)
        } catch {
            return .failed(
                ExecutionResult(
                    httpStatus: nil, message: "could not read the expansion's progress: \(error)",
                    failure: .retryable(retryAfter: nil)))
        }
        do throws(ArtifactoryAPIError) {
            // The expansion's guard (`build.status`) is checked before its query: when it does not
            // hold, nothing is sent and no child exists.
            if progress.found == nil, let requirement = planned.requirement,
                let reason = requirement.failure(given: try await GuardLookup.facts(for: requirement, with: client))
            {
                return await record(
                    leased, children: [], progress: progress, owner: owner,
                    finish: attempt(.skipped, status: nil, message: reason), outcome: "skipped")
            }
            if progress.found == nil {
                // Counted before any child exists, with the fewest fields: past the cap, the
                // expansion is dead and nothing is sent.
                let cap = Self.countCap(maxItems: maxItems)
                let text = query.page(start: 0, count: cap, fields: FoundItem.includedFields) ?? query.find
                let counted = try await search(text).items.count
                progress.found = counted
                if counted > maxItems {
                    let found = counted >= cap ? "more than \(cap - 1)" : "\(counted)"
                    let message =
                        "the query found \(found) items, more than max_items (\(maxItems)); nothing was sent"
                    return await record(
                        leased, children: [], progress: progress, owner: owner,
                        finish: attempt(.dead, status: 200, message: message), outcome: "dead")
                }
            }
            var childCount = 0
            var unplanned: [String] = []
            while true {
                let offset = progress.nextOffset
                let pageSize = min(settings.fanoutPageSize, max(0, maxItems - offset))
                let page =
                    pageSize > 0 ? query.page(start: offset, count: pageSize, fields: Self.pageFields) : nil
                var items: [FoundItem] = []
                if let page { items = try await search(page).items }
                var children: [NewJob] = []
                for item in items {
                    do {
                        for child in try planner.children(for: item) {
                            let action = child.action
                            var job = NewJob(
                                rule: action.rule, actionIndex: action.actionIndex, kind: action.kind.rawValue,
                                subject: action.subject, request: action.storedJSON, effects: action.effects)
                            job.expansionKey = child.key
                            children.append(job)
                        }
                    } catch {
                        if unplanned.count < 3 { unplanned.append("\(item.repo)/\(item.path): \(error.message)") }
                    }
                }
                childCount += children.count
                progress.nextOffset = offset + items.count
                let last = page == nil || items.count < pageSize || progress.nextOffset >= maxItems
                var finish: JobAttempt?
                if last {
                    var message = "\(childCount) child jobs from \(progress.nextOffset) items"
                    if !unplanned.isEmpty {
                        message += "; some items could not be planned: " + unplanned.joined(separator: "; ")
                    }
                    finish = attempt(.done, status: 200, message: message)
                }
                let outcome = await record(
                    leased, children: children, progress: progress, owner: owner, finish: finish, outcome: "success")
                if !children.isEmpty { wake() }
                if last || outcome != .recorded(outcome: "success", httpStatus: 200) { return outcome }
            }
        } catch {
            return .failed(
                ExecutionResult(
                    httpStatus: error.status, message: error.description,
                    failure: error.isRetryable ? .retryable(retryAfter: error.retryAfter) : .permanent))
        }
    }

    /// One page's results.
    private struct Found {
        var items: [FoundItem]
    }

    private func search(_ text: String) async throws(ArtifactoryAPIError) -> Found {
        let response = try await client.execute(.aql(text))
        guard let results = (try? JSONParser.parse(response.body))?["results"], case .array(let list) = results else {
            throw ArtifactoryAPIError(
                code: .invalidResponse, status: response.status, messages: ["the AQL answer has no results list"],
                request: "POST api/search/aql")
        }
        return Found(items: list.compactMap(FoundItem.init(aqlResult:)))
    }

    private func record(
        _ leased: LeasedJob, children: [NewJob], progress: ExpansionProgress, owner: String, finish: JobAttempt?,
        outcome: String
    ) async -> Outcome {
        let page = ExpansionPage(
            jobID: leased.job.id, children: children, progress: progress, now: clock.now,
            leaseExpiresAt: clock.now.addingTimeInterval(settings.lease.timeInterval), finish: finish)
        do {
            guard try await store.recordExpansionPage(page, owner: owner) else { return .leaseLost }
            return finish == nil
                ? .recorded(outcome: "success", httpStatus: 200) : .recorded(outcome: outcome, httpStatus: 200)
        } catch {
            logger.error(
                "Could not record a fan-out page; the expansion resumes after its lease",
                metadata: ["job.id": "\(leased.job.id)", "error": "\(error)"])
            return .leaseLost
        }
    }
}

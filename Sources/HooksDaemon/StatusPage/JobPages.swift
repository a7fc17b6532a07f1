import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Storage

/// The jobs list (and dead letters) and a job's page: the exact request and every answer.
extension StatusPage {
    struct JobList {
        struct Row {
            var id: Int64
            var eventID: Int64
            var state: String
            var attempts: Int
            var rule: String
            var action: String
            var subject: String
            var error: String
        }
        struct StateOption {
            var value: String
            var label: String
            var selected: Bool
        }
        struct RetryAll {
            var rule: String
            var csrf: String
        }
        var filters: JobFilters
        var states: [StateOption]
        var rows: [Row]
        var next: String?
        var retryAll: RetryAll?
    }

    func jobList(_ filters: JobFilters, csrf: String? = nil) async throws -> JobList {
        let found = try await store.jobs(matching: filters.query)
        let shown = found.prefix(Self.pageSize)
        let next = PageLink.nextPage(
            "/ui/jobs", filters: filters.queryString, lastShownID: shown.last?.id, hasMore: found.count > Self.pageSize)
        let states =
            [JobList.StateOption(value: "", label: "any", selected: filters.query.state == nil)]
            + StoredJob.State.allCases.map {
                JobList.StateOption(value: $0.rawValue, label: $0.rawValue, selected: filters.query.state == $0)
            }
        var retryAll: JobList.RetryAll?
        if let csrf, filters.query.state == .dead, let rule = filters.query.rule, !shown.isEmpty {
            retryAll = .init(rule: rule, csrf: csrf)
        }
        return JobList(
            filters: filters, states: states,
            rows: shown.map { job in
                JobList.Row(
                    id: job.id, eventID: job.eventID, state: job.state.rawValue, attempts: job.attemptCount,
                    rule: EventTable.shown(job.rule), action: "do[\(job.actionIndex)] \(job.kind)",
                    subject: EventTable.shown(job.subject),
                    error: job.lastError.map { EventTable.shown(String($0.prefix(120))) } ?? "")
            }, next: next, retryAll: retryAll)
    }

    struct JobDetail {
        struct Attempt {
            var started: String
            var outcome: String
            var status: String
            var took: String
            var message: String
        }
        struct Actions {
            var id: Int64
            var csrf: String
            var canRetry: Bool
            var canCancel: Bool
            /// Either action applies (a settled job offers none).
            var any: Bool
        }
        var fields: [EventDetail.Field]
        var request: String
        var attempts: [Attempt]
        var actions: Actions?
    }

    func jobDetail(id: Int64, csrf: String? = nil) async throws -> JobDetail? {
        guard let job = try await store.job(id: id) else { return nil }
        let attempts = try await store.attempts(forJob: id)
        var fields: [EventDetail.Field] = [
            .init(name: "event", value: "\(job.eventID)"),
            .init(
                name: "rule",
                value: "\(EventTable.shown(job.rule)) do[\(job.actionIndex)] \(job.kind)"
                    + (job.origin == .replay ? " (replay)" : "")),
            .init(name: "subject", value: EventTable.shown(job.subject)),
            .init(name: "state", value: job.state.rawValue),
            .init(name: "attempts", value: "\(job.attemptCount)"),
            .init(name: "created", value: EventTable.timestamp(job.createdAt)),
            .init(name: "due", value: EventTable.timestamp(job.dueAt)),
        ]
        if let finished = job.finishedAt {
            fields.append(.init(name: "finished", value: EventTable.timestamp(finished)))
        }
        if let error = job.lastError { fields.append(.init(name: "last error", value: EventTable.shown(error))) }

        let request: String
        if let action = try? PlannedAction(storedJSON: job.request) {
            request = ControlEscaping.escaped(
                RequestMasking.text(action.request, base: base(of: action.request)), escapingBackslash: false)
        } else {
            request = "(the stored request does not decode: " + EventTable.shown(String(job.request.prefix(200))) + ")"
        }
        let rows = attempts.map { attempt in
            let milliseconds =
                attempt.duration.components.seconds * 1000
                + attempt.duration.components.attoseconds / 1_000_000_000_000_000
            return JobDetail.Attempt(
                started: EventTable.timestamp(attempt.startedAt), outcome: attempt.outcome,
                status: attempt.httpStatus.map { "HTTP \($0)" } ?? "no answer", took: "\(milliseconds) ms",
                message: EventTable.shown(attempt.message ?? ""))
        }
        let canRetry = job.state == .dead || job.state == .failed
        let canCancel = [.pending, .failed, .running].contains(job.state)
        let actions = csrf.map { token in
            JobDetail.Actions(
                id: id, csrf: token, canRetry: canRetry, canCancel: canCancel, any: canRetry || canCancel)
        }
        return JobDetail(fields: fields, request: request, attempts: rows, actions: actions)
    }

    /// The URL a request's path is relative to, as configured (a placeholder when not configured;
    /// an outbound target by its name).
    func base(of request: ArtifactoryRequest) -> String {
        func slashed(_ url: URL?) -> String? {
            url.map { $0.absoluteString.hasSuffix("/") ? $0.absoluteString : $0.absoluteString + "/" }
        }
        switch request.base {
        case .artifactory: return slashed(config.artifactory?.url) ?? "{artifactory}/"
        case .platform: return slashed(config.artifactory?.platformURL) ?? "{platform}/"
        case .target:
            // A target's URL may itself be a credential (`url_file`): only its name is shown.
            return "target:\(request.target ?? "")/"
        }
    }
}

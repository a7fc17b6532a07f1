import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
import Storage

/// The events list and an event's page: what arrived, what the rules made of it, and its jobs.
extension StatusPage {
    struct EventList {
        struct Row {
            var id: Int64
            var received: String
            var endpoint: String
            var kind: String
            var subject: String
            var notes: String
        }
        var filters: EventFilters
        var problem: [String]
        var rows: [Row]
        var next: String?
    }

    func eventList(_ filters: EventFilters) async throws -> EventList {
        let found = filters.problems.isEmpty ? try await store.events(matching: filters.query) : []
        let shown = found.prefix(Self.pageSize)
        let next = PageLink.nextPage(
            "/ui/events", filters: filters.queryString, lastShownID: shown.last?.id,
            hasMore: found.count > Self.pageSize)
        return EventList(
            filters: filters, problem: filters.problems,
            rows: shown.map { event in
                EventList.Row(
                    id: event.id, received: EventTable.timestamp(event.receivedAt),
                    endpoint: EventTable.shown(event.endpoint), kind: EventTable.kindText(event),
                    subject: EventTable.subjectText(event), notes: Self.notes(event))
            }, next: next)
    }

    static func notes(_ event: StoredEvent) -> String {
        var notes: [String] = []
        if let original = event.duplicateOf { notes.append("duplicate of \(original)") }
        if event.selfCaused { notes.append("self-caused, hop \(event.hop)") }
        if event.arrival == .catchUp { notes.append("catch-up") }
        if event.planDeferred { notes.append("planning deferred") }
        if event.ignored != nil { notes.append("ignored by accept:") }
        return notes.joined(separator: ", ")
    }

    struct EventDetail {
        struct Field {
            var name: String
            var value: String
        }
        struct RuleRow {
            var rule: String
            var anchor: String
            var location: String
            var outcome: String
            var reason: String
            var matched: Bool
        }
        struct JobRow {
            var id: Int64
            var state: String
            var rule: String
            var action: String
            var request: String
            var error: String
        }
        struct Actions {
            var id: Int64
            var csrf: String
        }
        var fields: [Field]
        var bodyNote: String?
        var body: String?
        var explainProblem: String?
        var rules: [RuleRow]
        var jobs: [JobRow]
        var failures: [String]
        var actions: Actions?
    }

    /// How much of a body the page shows: long strings and big lists are folded.
    static let bodyLimits = JSONPrettyPrinter.Limits(depth: 24, stringBytes: 400, items: 200, outputBytes: 512 << 10)

    func eventDetail(id: Int64, csrf: String? = nil) async throws -> EventDetail? {
        guard let event = try await store.event(id: id) else { return nil }
        async let jobsRead = store.jobs(forEvent: id)
        async let failuresRead = store.planFailures(forEvent: id)
        var original: StoredEvent?
        if event.body.isEmpty, let originalID = event.duplicateOf { original = try await store.event(id: originalID) }

        var fields: [EventDetail.Field] = [
            .init(name: "received", value: EventTable.timestamp(event.receivedAt)),
            .init(name: "endpoint", value: EventTable.shown(event.endpoint)),
            .init(name: "kind", value: EventTable.kindText(event)),
            .init(name: "subject", value: EventTable.subjectText(event)),
            .init(name: "source", value: EventTable.shown(event.source ?? "-")),
            .init(name: "origin", value: EventTable.shown(event.origin ?? "-")),
            .init(name: "subscription", value: EventTable.shown(event.subscriptionKey ?? "-")),
            .init(name: "from address", value: EventTable.shown(event.sourceAddress ?? "-")),
            .init(name: "fingerprint", value: event.fingerprint),
            .init(name: "arrival", value: event.arrival.rawValue),
        ]
        if let duplicate = event.duplicateOf { fields.append(.init(name: "duplicate of", value: "\(duplicate)")) }
        if event.selfCaused { fields.append(.init(name: "self-caused", value: "yes, hop \(event.hop)")) }
        if event.planDeferred { fields.append(.init(name: "planning", value: "deferred (backpressure)")) }
        if let reason = event.ignored {
            fields.append(.init(name: "ignored", value: "not planned: " + EventTable.shown(reason)))
        }

        let bytes = event.body.isEmpty ? (original?.body ?? []) : event.body
        var bodyNote: String?
        var body: String?
        if bytes.isEmpty {
            bodyNote = "No body stored (a duplicate whose original is no longer in the store)."
        } else {
            let formatted = JSONPrettyPrinter.format(bytes, limits: Self.bodyLimits)
            body = ControlEscaping.escaped(formatted.text, escapingBackslash: false)
            var notes: [String] = []
            if let original { notes.append("The body of event \(original.id): a duplicate stores none of its own.") }
            if formatted.folded {
                notes.append(
                    "Folded for reading: strings over \(Self.bodyLimits.stringBytes) bytes and lists past"
                        + " \(Self.bodyLimits.items) items are shortened; `events show --raw \(event.id)` writes it exactly."
                )
            }
            bodyNote = notes.isEmpty ? nil : notes.joined(separator: " ")
        }

        var explainProblem: String?
        var ruleRows: [EventDetail.RuleRow] = []
        if let decoded = try? WebhookEvent(body: bytes) {
            let context = PlanContext(
                eventID: event.id, now: now(), selfCaused: event.selfCaused, hop: event.hop,
                hopLimit: config.worker.maxHops, defaultProject: config.artifactory?.project,
                defaultMode: config.rulesMode)
            ruleRows = rules.current.explain(decoded, context: context).map { explanation in
                EventDetail.RuleRow(
                    rule: EventTable.shown(explanation.rule), anchor: URLEncoding.percentEncode(explanation.rule),
                    location: EventTable.shown(explanation.location),
                    outcome: explanation.matched
                        ? (explanation.mode == .shadow ? "matched (shadow)" : "matched") : "skipped",
                    reason: EventTable.shown(explanation.reason ?? ""), matched: explanation.matched)
            }
        } else {
            explainProblem = "The body does not decode as an event, so no rule was tried."
        }

        let (jobs, failures) = try await (jobsRead, failuresRead)
        return EventDetail(
            fields: fields, bodyNote: bodyNote, body: body, explainProblem: explainProblem, rules: ruleRows,
            jobs: jobs.map { job in
                EventDetail.JobRow(
                    id: job.id, state: job.state.rawValue, rule: EventTable.shown(job.rule),
                    action: "do[\(job.actionIndex)] \(job.kind)" + (job.origin == .replay ? " (replay)" : ""),
                    request: EventTable.shown(EventTable.requestLine(job.request)),
                    error: EventTable.shown(job.lastError ?? ""))
            },
            failures: failures.map { failure in
                let what = failure.code == ThrottleClaim.throttledCode ? "Throttled" : "Not planned"
                return "\(what): \(EventTable.shown(failure.rule)) do[\(failure.actionIndex)] \(failure.kind): "
                    + EventTable.shown(failure.message)
            },
            actions: csrf.map { EventDetail.Actions(id: id, csrf: $0) })
    }
}

import ArtifactoryEvents
import ArtifactoryRequests
public import Foundation
import Rules
public import Storage

/// Renders stored events for the terminal and for scripts (`events list`, `events show`).
///
/// Every text an event brought is shown with its control characters escaped
/// (``ControlEscaping``): an `ESC[31m` in an event type does not recolour the terminal, a line
/// break in a path does not start a row.
public enum EventTable {
    /// One row per event: id, time, endpoint (with `(catch-up)` for an event catch-up read back),
    /// kind, subject, duplicate marker.
    public static func text(_ events: [StoredEvent]) -> String {
        guard !events.isEmpty else { return "No events match.\n" }
        var rows = [["ID", "RECEIVED (UTC)", "ENDPOINT", "KIND", "SUBJECT", "DUPLICATE OF"]]
        for event in events {
            rows.append([
                String(event.id), timestamp(event.receivedAt),
                shown(event.endpoint) + (event.arrival == .catchUp ? " (catch-up)" : ""), kindText(event),
                subjectText(event), event.duplicateOf.map(String.init) ?? "",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// JSON array of event summaries (no bodies), one stable shape for scripts.
    public static func json(_ events: [StoredEvent]) throws -> String {
        let objects: [[String: Any]] = events.map(summary)
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Every field of one event, then the body as received, indented and folded where it is
    /// deeper, longer or larger than ``bodyLimits`` (with a note saying so and how to get it
    /// exactly). A duplicate stores no body: pass its `original` (the event
    /// ``StoredEvent/duplicateOf`` names) to show that one's.
    public static func detail(_ event: StoredEvent, original: StoredEvent? = nil) -> String {
        var lines = [
            "Event \(event.id)",
            "  received:      \(timestamp(event.receivedAt))",
            "  endpoint:      \(shown(event.endpoint))",
            "  kind:          \(kindText(event))",
            "  subject:       \(subjectText(event))",
            "  source:        \(shown(event.source ?? "-"))",
            "  origin:        \(shown(event.origin ?? "-"))",
            "  subscription:  \(shown(event.subscriptionKey ?? "-"))",
            "  from address:  \(shown(event.sourceAddress ?? "-"))",
            "  fingerprint:   \(event.fingerprint)",
        ]
        if let original = event.duplicateOf { lines.append("  duplicate of:  \(original)") }
        if event.arrival == .catchUp {
            lines.append("  arrival:       catch-up (a failed delivery read from Artifactory's troubleshooting store)")
        }
        if event.selfCaused {
            lines.append("  self-caused:   yes, hop \(event.hop) (caused by one of the daemon's own calls)")
        }
        if event.planDeferred {
            lines.append("  planning:      deferred (backpressure); the rules plan it once the backlog shrinks")
        }
        if let reason = event.ignored {
            lines.append("  ignored:       not planned: the endpoint's accept: does not take it (\(shown(reason)))")
        }
        var shown = event.body
        if event.body.isEmpty {
            if let original, original.id == event.duplicateOf {
                lines.append("  body:          not stored; the same bytes as event \(original.id)'s")
                shown = original.body
            } else if let id = event.duplicateOf {
                lines.append("  body:          not stored; the same bytes as event \(id)'s (`events show \(id)`)")
                return lines.joined(separator: "\n") + "\n"
            } else {
                lines.append("  body:          not stored (a duplicate whose original is no longer in the store)")
                return lines.joined(separator: "\n") + "\n"
            }
        }
        lines.append("  body (\(shown.count) bytes):")
        let body = JSONPrettyPrinter.format(shown, limits: bodyLimits)
        // JSON's own escapes stay as they are; a control character in a string is escaped.
        lines.append(
            contentsOf: body.text.split(separator: "\n", omittingEmptySubsequences: false).map {
                "    " + ControlEscaping.escaped(String($0), escapingBackslash: false)
            })
        if body.folded {
            lines.append(
                "  (body folded for reading: nesting past \(bodyLimits.depth) levels, strings over"
                    + " \(bodyLimits.stringBytes) bytes, lists past \(bodyLimits.items) items and output past"
                    + " \(bodyLimits.outputBytes >> 20) MiB are shortened; `events show --raw \(event.id)` writes the"
                    + " body exactly)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How much of a body ``detail(_:original:)`` shows.
    static let bodyLimits = JSONPrettyPrinter.Limits.terminal

    /// The jobs of an event and the actions that could not be planned.
    public static func plan(jobs: [StoredJob], failures: [PlanFailure]) -> String {
        var lines: [String] = []
        if jobs.isEmpty {
            lines.append("  jobs: none")
        } else {
            lines.append("  jobs:")
            for job in jobs {
                let notes =
                    (job.origin == .replay ? " (replay)" : "") + (job.state == .shadow ? " (shadow: never sent)" : "")
                    + (job.state == .skipped ? " (skipped: its guard did not hold; not sent)" : "")
                lines.append(
                    "    \(job.id)  \(job.state.rawValue)  \(job.rule) do[\(job.actionIndex)] \(job.kind)\(notes)")
                lines.append("        \(shown(requestLine(job.request)))")
                if let error = job.lastError { lines.append("        last error: \(shown(error))") }
            }
        }
        for failure in failures where failure.code == ThrottleClaim.throttledCode {
            lines.append(
                "  throttled: \(failure.rule) do[\(failure.actionIndex)] \(failure.kind): \(shown(failure.message))"
                    + " (not sent: the window of this key was open)")
        }
        for failure in failures where failure.code != ThrottleClaim.throttledCode {
            lines.append(
                "  not planned: \(failure.rule) do[\(failure.actionIndex)] \(failure.kind): \(shown(failure.message))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `METHOD path` of a stored request (`METHOD target:NAME/path` for an `http:` call), or the
    /// JSON as is when it does not decode.
    public static func requestLine(_ request: String) -> String {
        requestLine(request, action: try? PlannedAction(storedJSON: request))
    }

    /// `METHOD path` of `action`, the stored `request` decoded (the JSON as is when it did not).
    static func requestLine(_ request: String, action: PlannedAction?) -> String {
        action.map { action in
            let request = action.request
            // An http: call names its target: its path is relative to that target's URL.
            let target = request.base == .target ? "target:\(request.target ?? "")/" : ""
            return "\(request.method.rawValue) \(target)\(request.pathAndQuery)"
        } ?? request
    }

    static func summary(_ event: StoredEvent) -> [String: Any] {
        var object: [String: Any] = [
            "id": event.id, "received_at": timestamp(event.receivedAt), "endpoint": event.endpoint,
            "domain": event.domain, "event_type": event.eventType, "subject": event.subject,
            "fingerprint": event.fingerprint, "self_caused": event.selfCaused, "plan_deferred": event.planDeferred,
        ]
        object["duplicate_of"] = event.duplicateOf
        object["repo"] = event.repo
        object["path"] = event.path
        object["build_name"] = event.buildName
        object["build_number"] = event.buildNumber
        object["source_address"] = event.sourceAddress
        object["ignored"] = event.ignored
        object["arrival"] = event.arrival.rawValue
        return object
    }

    static func kindText(_ event: StoredEvent) -> String {
        kindText("\(event.domain).\(event.eventType)")
    }

    /// `DOMAIN.EVENT_TYPE` as shown: a body stored without a domain (`.x`) reads `(no domain).x`;
    /// control characters escaped.
    static func kindText(_ kind: String) -> String {
        shown(kind.hasPrefix(".") ? "(no domain)" + kind : kind)
    }

    /// The subject as shown, `-` for none.
    static func subjectText(_ event: StoredEvent) -> String {
        event.subject.isEmpty ? "-" : shown(event.subject)
    }

    /// A text an event or a store brought, its control characters escaped for the terminal.
    static func shown(_ text: String) -> String {
        ControlEscaping.escaped(text)
    }

    /// ISO 8601 UTC with milliseconds (`2026-11-29T08:30:45.123Z`).
    public static func timestamp(_ date: Date) -> String {
        // Foundation's Swift format style: no ICU date formatter to set up, which took a third of
        // a short CLI command's time.
        date.formatted(millisecondTimestamp)
    }

    private static let millisecondTimestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

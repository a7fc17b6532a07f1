import ArtifactoryEvents
import ArtifactoryRequests
public import Foundation
import Rules
public import Storage

/// Renders stored events for the terminal and for scripts (`events list`, `events show`).
public enum EventTable {
    /// One row per event: id, time, endpoint, kind, subject, duplicate marker.
    public static func text(_ events: [StoredEvent]) -> String {
        guard !events.isEmpty else { return "No events match.\n" }
        var rows = [["ID", "RECEIVED (UTC)", "ENDPOINT", "KIND", "SUBJECT", "DUPLICATE OF"]]
        for event in events {
            rows.append([
                String(event.id), timestamp(event.receivedAt), event.endpoint, kindText(event),
                event.subject.isEmpty ? "-" : event.subject, event.duplicateOf.map(String.init) ?? "",
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

    /// Every field of one event, then the body exactly as received, indented.
    public static func detail(_ event: StoredEvent) -> String {
        var lines = [
            "Event \(event.id)",
            "  received:      \(timestamp(event.receivedAt))",
            "  endpoint:      \(event.endpoint)",
            "  kind:          \(kindText(event))",
            "  subject:       \(event.subject.isEmpty ? "-" : event.subject)",
            "  source:        \(event.source ?? "-")",
            "  origin:        \(event.origin ?? "-")",
            "  subscription:  \(event.subscriptionKey ?? "-")",
            "  from address:  \(event.sourceAddress ?? "-")",
            "  fingerprint:   \(event.fingerprint)",
        ]
        if let original = event.duplicateOf { lines.append("  duplicate of:  \(original)") }
        if event.selfCaused {
            lines.append("  self-caused:   yes, hop \(event.hop) (caused by one of the daemon's own calls)")
        }
        if event.planDeferred {
            lines.append("  planning:      deferred (backpressure); the rules plan it once the backlog shrinks")
        }
        lines.append("  body (\(event.body.count) bytes):")
        let body = JSONPrettyPrinter.format(event.body)
        lines.append(contentsOf: body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 })
        return lines.joined(separator: "\n") + "\n"
    }

    /// The jobs of an event and the actions that could not be planned.
    public static func plan(jobs: [StoredJob], failures: [PlanFailure]) -> String {
        var lines: [String] = []
        if jobs.isEmpty {
            lines.append("  jobs: none")
        } else {
            lines.append("  jobs:")
            for job in jobs {
                let replay = job.origin == .replay ? " (replay)" : ""
                lines.append(
                    "    \(job.id)  \(job.state.rawValue)  \(job.rule) do[\(job.actionIndex)] \(job.kind)\(replay)")
                lines.append("        \(requestLine(job.request))")
                if let error = job.lastError { lines.append("        last error: \(error)") }
            }
        }
        for failure in failures {
            lines.append(
                "  not planned: \(failure.rule) do[\(failure.actionIndex)] \(failure.kind): \(failure.message)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `METHOD path` of a stored request, or the JSON as is when it does not decode.
    public static func requestLine(_ request: String) -> String {
        requestLine(request, action: try? PlannedAction(storedJSON: request))
    }

    /// `METHOD path` of `action`, the stored `request` decoded (the JSON as is when it did not).
    static func requestLine(_ request: String, action: PlannedAction?) -> String {
        action.map { "\($0.request.method.rawValue) \($0.request.pathAndQuery)" } ?? request
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
        return object
    }

    static func kindText(_ event: StoredEvent) -> String {
        kindText("\(event.domain).\(event.eventType)")
    }

    /// `DOMAIN.EVENT_TYPE` as shown: a body stored without a domain (`.x`) reads `(no domain).x`.
    static func kindText(_ kind: String) -> String {
        kind.hasPrefix(".") ? "(no domain)" + kind : kind
    }

    /// ISO 8601 UTC with milliseconds (`2026-11-29T08:30:45.123Z`).
    public static func timestamp(_ date: Date) -> String {
        // Foundation's Swift format style: no ICU date formatter to set up, which took a third of
        // a short CLI command's time.
        date.formatted(millisecondTimestamp)
    }

    private static let millisecondTimestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

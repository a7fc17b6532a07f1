import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import Rules
public import Storage

/// Renders jobs for the terminal and for scripts (`jobs list`, `jobs show`), with control
/// characters in what events brought escaped, as ``EventTable`` does.
public enum JobTable {
    /// One row per job.
    public static func text(_ jobs: [StoredJob]) -> String {
        guard !jobs.isEmpty else { return "No jobs match.\n" }
        var rows = [["ID", "EVENT", "STATE", "ATTEMPTS", "RULE", "ACTION", "SUBJECT", "LAST ERROR"]]
        for job in jobs {
            rows.append([
                String(job.id), String(job.eventID), job.state.rawValue, String(job.attemptCount),
                EventTable.shown(job.rule), "do[\(job.actionIndex)] \(job.kind)", EventTable.shown(job.subject),
                job.lastError.map { EventTable.shown(String($0.prefix(60))) } ?? "",
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// A JSON array of jobs.
    public static func json(_ jobs: [StoredJob]) throws -> String {
        let objects: [[String: Any]] = jobs.map { job in
            var object: [String: Any] = [
                "id": job.id, "event_id": job.eventID, "state": job.state.rawValue, "attempts": job.attemptCount,
                "rule": job.rule, "action_index": job.actionIndex, "kind": job.kind, "subject": job.subject,
                "origin": job.origin.rawValue, "created_at": EventTable.timestamp(job.createdAt),
                "due_at": EventTable.timestamp(job.dueAt),
            ]
            object["last_error"] = job.lastError
            object["finished_at"] = job.finishedAt.map(EventTable.timestamp)
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Every field of a job and each attempt.
    public static func detail(_ job: StoredJob, attempts: [StoredAttempt]) -> String {
        let action = try? PlannedAction(storedJSON: job.request)
        var lines = [
            "Job \(job.id)",
            "  event:     \(job.eventID)",
            "  rule:      \(EventTable.shown(job.rule)) do[\(job.actionIndex)] \(job.kind)\(job.origin == .replay ? " (replay)" : "")",
            "  subject:   \(EventTable.shown(job.subject))",
            "  state:     \(job.state.rawValue)",
            "  request:   \(EventTable.shown(EventTable.requestLine(job.request, action: action)))",
        ]
        // A promotion's body says what it does (copy or move, which repositories), as `rules test` shows.
        if let body = action?.request.body {
            lines.append("  body:      \(ControlEscaping.escaped(body, escapingBackslash: false))")
        }
        lines += [
            "  created:   \(EventTable.timestamp(job.createdAt))",
            "  due:       \(EventTable.timestamp(job.dueAt))",
        ]
        if let finished = job.finishedAt { lines.append("  finished:  \(EventTable.timestamp(finished))") }
        if let error = job.lastError { lines.append("  last error: \(EventTable.shown(error))") }
        lines.append(attempts.isEmpty ? "  attempts:  none yet" : "  attempts:")
        for attempt in attempts {
            let status = attempt.httpStatus.map { "HTTP \($0)" } ?? "no answer"
            let milliseconds =
                attempt.duration.components.seconds * 1000
                + attempt.duration.components.attoseconds / 1_000_000_000_000_000
            var line =
                "    \(EventTable.timestamp(attempt.startedAt))  \(attempt.outcome)  \(status)  \(milliseconds) ms"
            if let message = attempt.message { line += "  \(EventTable.shown(message))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

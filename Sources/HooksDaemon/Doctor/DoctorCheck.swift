import ArtifactoryEvents

/// One finding of `artifactory-hooks doctor`: a check's name, whether it passed, and what it saw
/// (for a problem: what is wrong, then what to do).
public struct DoctorCheck: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case ok = "OK"
        /// Works now, but needs attention soon (a certificate near expiry, a drifting clock) or
        /// could not be judged.
        case warn = "WARN"
        case fail = "FAIL"
    }

    public var status: Status
    /// A short, stable name: `config`, `artifactory`, `token`, `store`, …
    public var name: String
    public var detail: String
    /// More lines under it (each of a config's problems), printed indented.
    public var notes: [String]

    public init(_ status: Status, _ name: String, _ detail: String, notes: [String] = []) {
        self.status = status
        self.name = name
        self.detail = detail
        self.notes = notes
    }

    static func ok(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(.ok, name, detail) }
    static func warn(_ name: String, _ detail: String) -> DoctorCheck { DoctorCheck(.warn, name, detail) }

    /// A problem: `what` is wrong — `todo`.
    static func fail(_ name: String, _ what: String, _ todo: String) -> DoctorCheck {
        DoctorCheck(.fail, name, "\(what) — \(todo)")
    }

    /// `OK  name: detail`, `WARN name: …`, `FAIL name: …`, then the notes indented, each line
    /// with its control characters escaped; ends with a newline.
    public var text: String {
        let prefix = status == .ok ? "OK  " : status.rawValue + " "
        let lines = [prefix + "\(name): \(detail)"] + notes.map { "     " + $0 }
        return lines.map { ControlEscaping.escaped($0) }.joined(separator: "\n") + "\n"
    }
}

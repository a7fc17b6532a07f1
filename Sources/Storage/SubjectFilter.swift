import Foundation

/// Which jobs a worker leases, by their ordering subject: the rules' `http:` calls order under
/// `target:NAME|SUBJECT`, so each target's worker leases its own and the Artifactory worker the rest.
public enum SubjectFilter: Sendable, Hashable {
    /// Every job.
    case all
    /// Every job whose subject does not start with `target:` (the Artifactory calls).
    case notTargets
    /// The jobs of one outbound target (subject `target:NAME|…`).
    case target(String)

    /// The subject prefix of a target's jobs: `target:NAME|`.
    public static func prefix(ofTarget name: String) -> String { "target:\(name)|" }

    /// The SQL condition on `j.subject` (empty for ``all``), the prefix written as a literal with
    /// its quotes doubled; `prefixOf` is the engine's prefix function (`substr(x, 1, n)` in SQLite,
    /// `left(x, n)` in PostgreSQL), whose length both engines count in code points.
    func condition(prefixOf: (String, Int) -> String) -> String {
        switch self {
        case .all: return ""
        case .notTargets: return " AND \(prefixOf("j.subject", 7)) <> 'target:'"
        case .target(let name):
            let prefix = Self.prefix(ofTarget: name)
            let literal = prefix.replacingOccurrences(of: "'", with: "''")
            return " AND \(prefixOf("j.subject", prefix.unicodeScalars.count)) = '\(literal)'"
        }
    }
}

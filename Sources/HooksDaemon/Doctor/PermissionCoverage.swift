import ArtifactoryEvents
import Rules

/// Judges the rules' ``RequiredPermission``s against a user's permission targets (the JSON
/// array of Get Permission Targets Per User). Pure.
enum PermissionCoverage {
    /// One permission target's repository part.
    struct Target: Sendable, Equatable {
        var name: String
        var repositories: [String]
        var actions: Set<String>
    }

    /// The targets of Get Permission Targets Per User's answer; `nil` when it is not a JSON array.
    static func targets(from body: [UInt8]) -> [Target]? {
        guard let array = (try? JSONParser.parse(body))?.arrayValue else { return nil }
        return array.map { value in
            let repo = value["repo"]
            return Target(
                name: value["name"]?.stringValue ?? "",
                repositories: repo?["repositories"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                actions: Set(repo?["actions"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
    }

    enum Verdict: Equatable {
        case covered
        /// No target gives the action on that repository.
        case missing
        /// Only some repositories a `repo:` glob or an unrestricted rule can reach are covered.
        case unknown
    }

    /// Whether `targets` give `need`: a target whose actions hold the action (or `manage`) and
    /// whose repositories hold the key or `ANY`, `ANY LOCAL`, `ANY REMOTE` (doctor does not know a
    /// repository's type, so either of the last two counts). A glob or "any repository" is covered
    /// only by an `ANY…` entry; a target naming some keys leaves it ``Verdict/unknown``.
    static func verdict(_ need: RequiredPermission, targets: [Target]) -> Verdict {
        let granting = targets.filter { $0.actions.contains(need.action.rawValue) || $0.actions.contains("manage") }
        if granting.contains(where: { $0.repositories.contains(where: isAny) }) { return .covered }
        switch need.scope {
        case .repository(let key):
            return granting.contains { $0.repositories.contains(key) } ? .covered : .missing
        case .prefix(let prefix):
            return granting.contains { $0.repositories.contains { $0.hasPrefix(prefix) } } ? .unknown : .missing
        case .any:
            return granting.isEmpty ? .missing : .unknown
        }
    }

    private static func isAny(_ repository: String) -> Bool {
        ["ANY", "ANY LOCAL", "ANY REMOTE"].contains(repository.uppercased())
    }
}

/// A permission target's repository part, as Get Permission Targets Per User lists it
/// (`name`, `repo.repositories`, `repo.actions`, `repo.include-patterns`, `repo.exclude-patterns`).
public struct SimulatedPermissionTarget: Sendable, Hashable {
    public var name: String
    /// Repository keys, or `ANY`, `ANY LOCAL`, `ANY REMOTE`.
    public var repositories: [String]
    /// `read`, `annotate`, `write`, `delete`, `manage`.
    public var actions: [String]

    public init(name: String, repositories: [String], actions: [String]) {
        self.name = name
        self.repositories = repositories
        self.actions = actions
    }

    /// The target as the page's sample output shows it.
    var json: [String: Any] {
        [
            "name": name,
            "repo": [
                "include-patterns": ["**"], "exclude-patterns": [""], "repositories": repositories,
                "actions": actions,
            ] as [String: Any],
        ]
    }
}

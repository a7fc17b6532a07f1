import ArtifactoryEvents

/// The answer of an AQL search: `{"results": [{…}], "range": {"start_pos", "end_pos", "total"}}`.
struct AQLResult: Sendable, Hashable {
    /// The `range` member.
    struct Range: Sendable, Hashable {
        /// Index of the first result returned.
        var startPosition: Int
        /// Index after the last result returned.
        var endPosition: Int
        /// How many results the query matched.
        var total: Int
        /// The limit in force, when the query or the server set one.
        var limit: Int?
        /// Artifactory's note, e.g. that results were trimmed at its hard limit.
        var notification: String?
    }

    /// One object per result, with the fields the query asked for (`repo`, `path`, `name`, …).
    var results: [[String: JSONValue]]
    /// Where these results sit in the whole answer.
    var range: Range

    init(results: [[String: JSONValue]], range: Range) {
        self.results = results
        self.range = range
    }

    /// Parses the answer body; `nil` when it has no `results` array.
    init?(body: [UInt8]) {
        guard let root = try? JSONParser.parse(body), case .array(let items) = root["results"] else { return nil }
        let range = root["range"]
        func integer(_ key: String) -> Int? { range?[key]?.int64Value.map { Int($0) } }
        self.init(
            results: items.compactMap(\.objectValue),
            range: Range(
                startPosition: integer("start_pos") ?? 0, endPosition: integer("end_pos") ?? items.count,
                total: integer("total") ?? items.count, limit: integer("limit"),
                notification: range?["notification"]?.stringValue))
    }

    /// `repo/path/name` of each result that has those fields; `path` `.` means the repository root.
    var itemPaths: [String] {
        results.compactMap { result in
            guard let repo = result["repo"]?.stringValue, let name = result["name"]?.stringValue else { return nil }
            let path = result["path"]?.stringValue ?? "."
            return path == "." || path.isEmpty ? "\(repo)/\(name)" : "\(repo)/\(path)/\(name)"
        }
    }
}

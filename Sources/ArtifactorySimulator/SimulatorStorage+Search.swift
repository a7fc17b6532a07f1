import Foundation

extension SimulatorStorage {
    /// One page of AQL results.
    struct SearchPage: Sendable {
        var items: [SimulatedItem]
        var offset: Int
        var limit: Int?

        /// The documented answer: `{"results": […], "range": {…}}`.
        var answer: [String: Any] {
            var range: [String: Any] = ["start_pos": offset, "end_pos": offset + items.count, "total": items.count]
            range["limit"] = limit
            return ["results": items.map(SimulatorStorage.aqlFields), "range": range]
        }
    }

    /// Runs an AQL `items.find` query.
    func search(_ text: String) throws(SimulatorError) -> SearchPage {
        let query = try AQLQuery(text)
        var matched: [SimulatedItem] = []
        for item in repositories.values.flatMap(\.values) where !item.path.isEmpty {
            if try query.matches(item) { matched.append(item) }
        }
        matched.sort { ($0.repo, $0.folderPath, $0.name) < ($1.repo, $1.folderPath, $1.name) }
        let page = Array(matched.dropFirst(query.offset).prefix(query.limit ?? .max))
        return SearchPage(items: page, offset: query.offset, limit: query.limit)
    }

    static func aqlFields(_ item: SimulatedItem) -> [String: Any] {
        [
            "repo": item.repo, "path": item.folderPath, "name": item.name, "type": item.isFolder ? "folder" : "file",
            "size": item.size, "created": isoDate(item.created), "created_by": "simulator",
            "modified": isoDate(item.modified), "modified_by": "simulator", "updated": isoDate(item.modified),
        ]
    }

    static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

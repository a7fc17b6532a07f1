import Foundation

extension SimulatorStorage {
    /// One of a build run's artifacts, as AQL's build relation joins it to a stored item.
    struct BuildLink: Sendable {
        var build: SimulatedBuild
        var artifact: SimulatedBuild.Artifact
    }

    /// One page of AQL results.
    struct SearchPage: Sendable {
        var items: [SimulatedItem]
        var offset: Int
        var limit: Int?
        /// The fields `.include` named, `nil` for the default output.
        var include: [String]?
        /// Whether the hard limit cut the page short.
        var trimmed = false

        /// The documented answer: `{"results": […], "range": {start_pos, end_pos, total[, limit]
        /// [, notification]}}`. `total` counts the results in this answer, as Artifactory's does.
        var answer: [String: Any] {
            var range: [String: Any] = ["start_pos": offset, "end_pos": offset + items.count, "total": items.count]
            range["limit"] = limit
            if trimmed { range["notification"] = SimulatorStorage.hardLimitNotification }
            return ["results": items.map { SimulatorStorage.aqlFields($0, include: include) }, "range": range]
        }
    }

    static let hardLimitNotification = "AQL query reached the search hard limit, results are trimmed."

    /// Runs an AQL `items.find` query. A query longer than `maxLength` characters is a 400; at
    /// most `hardLimit` results are answered, with the documented notification when more matched.
    func search(_ text: String, maxLength: Int = 6000, hardLimit: Int? = nil) throws(SimulatorError) -> SearchPage {
        guard text.count <= maxLength else {
            throw .badRequest("AQL query is too long: \(text.count) characters, the limit is \(maxLength)")
        }
        let query = try AQLQuery(text)
        let index = query.usesBuildRelation ? linkIndex() : [:]
        let predicate = query.predicate
        let folders = query.matchesFolders
        var matched: [SortedItem] = []
        for items in repositories.values {
            for item in items.values where !item.path.isEmpty && (folders || !item.isFolder) {
                let links =
                    index.isEmpty
                    ? []
                    : ((index[item.sha1] ?? []) + (index[item.sha256] ?? [])).filter { $0.artifact.isStored(as: item) }
                if AQLQuery.matches(predicate, item, links: links) { matched.append(SortedItem(item)) }
            }
        }
        let sortFields = (query.sort?.fields ?? []).compactMap { AQLField(rawValue: $0) }
        let descending = query.sort?.order == .descending
        matched.sort { left, right in
            for field in sortFields {
                if let ascending = field.ascending(left.item, right.item) { return ascending != descending }
            }
            return left.key < right.key
        }
        var page = matched.dropFirst(query.offset).prefix(query.limit ?? .max).map(\.item)
        var limit = query.limit
        var trimmed = false
        if let hardLimit, page.count > hardLimit {
            page = Array(page.prefix(hardLimit))
            limit = hardLimit
            trimmed = true
        }
        return SearchPage(items: page, offset: query.offset, limit: limit, include: query.include, trimmed: trimmed)
    }

    /// An item with its default sort key (repo, path, name) worked out once.
    private struct SortedItem {
        var item: SimulatedItem
        var key: (String, String, String)
        init(_ item: SimulatedItem) {
            self.item = item
            key = (item.repo, item.folderPath, item.name)
        }
    }

    /// Every build artifact by its SHA-1, and by SHA-256 when it has no SHA-1.
    private func linkIndex() -> [String: [BuildLink]] {
        var index: [String: [BuildLink]] = [:]
        for build in builds.values {
            for artifact in build.artifacts {
                let key = artifact.sha1.isEmpty ? artifact.sha256 : artifact.sha1
                if !key.isEmpty { index[key, default: []].append(BuildLink(build: build, artifact: artifact)) }
            }
        }
        return index
    }

    /// An item as AQL answers it: the default fields, or those `include` names, plus
    /// `properties: [{key, value}]` when `include` asks for properties and it has some.
    static func aqlFields(_ item: SimulatedItem, include: [String]? = nil) -> [String: Any] {
        var fields: [String: Any] = [:]
        for name in AQLField.shownFields(include: include) {
            if let field = AQLField(name) { fields[name] = field.value(of: item) }
        }
        let selectors = (include ?? []).filter(AQLField.isPropertySelector)
        guard !selectors.isEmpty else { return fields }
        let wanted =
            selectors.contains { !$0.hasPrefix("@") || $0 == "@" } ? nil : Set(selectors.map { $0.dropFirst() })
        let properties = item.properties.keys.sorted()
            .filter { wanted?.contains(Substring($0)) ?? true }
            .flatMap { key in (item.properties[key] ?? []).map { ["key": key, "value": $0] } }
        if !properties.isEmpty { fields["properties"] = properties }
        return fields
    }

    /// `2026-01-31T12:00:00.000Z`, the time format of AQL and the storage API.
    static func isoDate(_ date: Date) -> String { date.formatted(isoFormat) }

    private static let isoFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

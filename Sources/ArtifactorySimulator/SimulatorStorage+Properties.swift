import Foundation

extension SimulatorStorage {
    /// Characters Artifactory refuses in a property key (Set Item Properties), plus space.
    static let forbiddenKeyCharacters = Set(")(}{][*+^$\\/~`!@#%&<>;=,±§ ")

    /// Set Item Properties: replaces the values of each given key on the item and, when
    /// `recursive`, on everything below it.
    mutating func setProperties(
        repo: String, path: String, properties: [String: [String]], recursive: Bool, now: Date
    ) throws(SimulatorError) {
        let item = try item(repo, path)
        guard !properties.isEmpty else { throw .badRequest("Properties must not be empty") }
        for key in properties.keys where key.isEmpty || key.contains(where: Self.forbiddenKeyCharacters.contains) {
            throw .badRequest("Property key '\(key)' contains a forbidden character")
        }
        for target in targets(of: item, recursive: recursive) {
            repositories[repo]?[target]?.properties.merge(properties) { _, new in new }
            repositories[repo]?[target]?.modified = now
            guard let changed = repositories[repo]?[target] else { continue }
            for (key, values) in properties.sorted(by: { $0.key < $1.key }) {
                emit(.property("added", changed, key: key, values: values))
            }
        }
    }

    /// Delete Item Properties: removes the keys from the item and, when `recursive`, below it.
    mutating func deleteProperties(repo: String, path: String, keys: [String], recursive: Bool, now: Date)
        throws(SimulatorError)
    {
        let item = try item(repo, path)
        guard !keys.isEmpty else { throw .badRequest("Properties must not be empty") }
        for target in targets(of: item, recursive: recursive) {
            guard let before = repositories[repo]?[target] else { continue }
            for key in keys { repositories[repo]?[target]?.properties[key] = nil }
            repositories[repo]?[target]?.modified = now
            for key in keys {
                if let values = before.properties[key] { emit(.property("deleted", before, key: key, values: values)) }
            }
        }
    }

    /// Get Item Properties: all properties, or only `keys`; 404 when there are none to show.
    func properties(repo: String, path: String, keys: [String]?) throws(SimulatorError) -> [String: [String]] {
        var properties = try item(repo, path).properties
        if let keys, !keys.isEmpty { properties = properties.filter { keys.contains($0.key) } }
        guard !properties.isEmpty else { throw .notFound("No properties could be found.") }
        return properties
    }

    private func targets(of item: SimulatedItem, recursive: Bool) -> [String] {
        item.isFolder && recursive ? subtree(repo: item.repo, path: item.path) : [item.path]
    }
}

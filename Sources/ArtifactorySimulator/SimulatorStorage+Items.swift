import Foundation

extension SimulatorStorage {
    /// Copy Item and Move Item. Like a file system: when the target is an existing folder the
    /// source goes inside it, otherwise the target path is the new name. Returns the report
    /// message.
    mutating func copyOrMove(
        from source: (repo: String, path: String), to target: (repo: String, path: String), move: Bool, dryRun: Bool,
        now: Date
    ) throws(SimulatorError) -> String {
        let item = try item(source.repo, source.path)
        guard repositories[target.repo] != nil else { throw .missingRepository(target.repo) }
        var destination = target.path
        if let existing = repositories[target.repo]?[destination], existing.isFolder, !item.path.isEmpty {
            destination = Self.join(destination, item.name)
        }
        if target.repo == source.repo,
            destination == source.path || (source.path.isEmpty || destination.hasPrefix(source.path + "/"))
        {
            throw .badRequest("Cannot \(move ? "move" : "copy") \(source.repo)/\(source.path) into itself")
        }
        let paths = subtree(repo: source.repo, path: source.path)
        let files = paths.filter { repositories[source.repo]?[$0]?.isFolder == false }.count
        let folders = paths.count - files
        if !dryRun {
            try addFolders(repo: target.repo, path: Self.parent(of: destination), now: now)
            for path in paths {
                guard var copied = repositories[source.repo]?[path] else { continue }
                let relative = String(path.dropFirst(source.path.count)).drop { $0 == "/" }
                copied.repo = target.repo
                copied.path = Self.join(destination, String(relative))
                copied.created = now
                copied.modified = now
                if copied.path.isEmpty { continue }
                if let existing = repositories[target.repo]?[copied.path], existing.isFolder, copied.isFolder {
                    repositories[target.repo]?[copied.path]?.properties.merge(copied.properties) { _, new in new }
                } else {
                    repositories[target.repo]?[copied.path] = copied
                }
            }
            let sources = paths.compactMap { repositories[source.repo]?[$0] }.filter { !$0.isFolder }
            if move {
                for path in paths where !path.isEmpty { repositories[source.repo]?[path] = nil }
            }
            for file in sources { emit(.transfer(move ? "moved" : "copied", source: file, targetRepo: target.repo)) }
        }
        let verb = move ? "moving" : "copying"
        let done = move ? "moved" : "copied"
        return "\(dryRun ? "dry run: " : "")\(verb) \(source.repo):\(source.path) to \(target.repo):\(destination) "
            + "completed successfully, \(files) artifacts and \(folders) folders were \(done)"
    }

    /// Delete Item: the item and everything below it; the repository root empties the repository.
    mutating func delete(repo: String, path: String) throws(SimulatorError) {
        _ = try item(repo, path)
        for target in subtree(repo: repo, path: path) where !target.isEmpty {
            if let file = repositories[repo]?[target], !file.isFolder { emit(.artifact("deleted", file)) }
            repositories[repo]?[target] = nil
        }
    }
}

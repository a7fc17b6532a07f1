import ArtifactoryRequests
import Foundation
import HTTPTypes
import Hummingbird

extension SimulatorResponder {
    /// Dispatches on the decoded path segments.
    func route(_ call: SimulatorCall) throws(SimulatorError) -> Response {
        let segments = call.target.segments
        switch (call.method, segments.first, segments.dropFirst().first) {
        case (.get, "api", "system") where segments == ["api", "system", "ping"]:
            return .text("OK")
        case (.get, "api", "system") where segments == ["api", "system", "version"]:
            return .json([
                "version": configuration.version, "revision": "simulator", "addons": ["build", "rest", "search"],
            ])
        case (_, "api", "storage") where segments.count >= 3:
            return try storage(call, repo: segments[2], path: segments.dropFirst(3).joined(separator: "/"))
        case (_, "api", "build"):
            return try builds(call, Array(segments.dropFirst(2)))
        case (.post, "api", let operation?) where (operation == "copy" || operation == "move") && segments.count >= 3:
            return try copyOrMove(
                call, move: operation == "move", repo: segments[2], path: segments.dropFirst(3).joined(separator: "/"))
        case (.post, "api", "search") where segments == ["api", "search", "aql"]:
            let text = call.bodyText
            let (maxLength, hardLimit) = (configuration.aqlQueryLengthLimit, configuration.aqlResultLimit)
            let page = try state.withStorage { storage throws(SimulatorError) in
                try storage.search(text, maxLength: maxLength, hardLimit: hardLimit)
            }
            return .json(page.answer)
        case (.get, "api", "v2") where segments.count == 6 && segments[2...4] == ["security", "permissions", "users"]:
            return try permissionTargets(call, user: segments[5])
        case (_, "api", "repositories"):
            return try repositories(call, Array(segments.dropFirst(2)))
        case (_, "api", _):
            throw .notFound("Not Found")
        case (.put, let repo?, _):
            return try deploy(call, repo: repo, path: segments.dropFirst().joined(separator: "/"))
        case (.delete, let repo?, _):
            let path = segments.dropFirst().joined(separator: "/")
            try state.withStorage { storage throws(SimulatorError) in try storage.delete(repo: repo, path: path) }
            return .empty()
        default:
            throw SimulatorError(.methodNotAllowed, "Method Not Allowed")
        }
    }

    // MARK: api/storage

    private func storage(_ call: SimulatorCall, repo: String, path: String) throws(SimulatorError) -> Response {
        let query = call.target.query
        let recursive = call.target.flag("recursive", default: true)
        switch call.method {
        case .put:
            guard let text = query["properties"] else { throw .badRequest("Missing the properties parameter") }
            let properties = PropertySyntax.assignments(text)
            try state.withStorage { storage throws(SimulatorError) in
                try storage.setProperties(
                    repo: repo, path: path, properties: properties, recursive: recursive, now: call.now)
            }
            return .empty()
        case .delete:
            guard let text = query["properties"] else { throw .badRequest("Missing the properties parameter") }
            let keys = PropertySyntax.keys(text)
            try state.withStorage { storage throws(SimulatorError) in
                try storage.deleteProperties(repo: repo, path: path, keys: keys, recursive: recursive, now: call.now)
            }
            return .empty()
        case .get:
            let uri =
                call.baseURL + "/api/storage/" + Self.encodedPath([repo] + path.split(separator: "/").map(String.init))
            if let text = query["properties"] {
                let keys = text.isEmpty ? nil : PropertySyntax.keys(text)
                let properties = try state.withStorage { storage throws(SimulatorError) in
                    try storage.properties(repo: repo, path: path, keys: keys)
                }
                return .json(["uri": uri, "properties": properties])
            }
            let item = try state.withStorage { storage throws(SimulatorError) in try storage.item(repo, path) }
            return .json(itemInfo(item, uri: uri, call: call))
        default:
            throw SimulatorError(.methodNotAllowed, "Method Not Allowed")
        }
    }

    /// File Info / Folder Info, the documented subset.
    private func itemInfo(_ item: SimulatedItem, uri: String, call: SimulatorCall) -> [String: Any] {
        var info: [String: Any] = [
            "uri": uri, "repo": item.repo, "path": "/" + item.path,
            "created": SimulatorStorage.isoDate(item.created), "lastModified": SimulatorStorage.isoDate(item.modified),
        ]
        if item.isFolder {
            let children = state.withStorage { storage in
                storage.subtree(repo: item.repo, path: item.path)
                    .filter { !$0.isEmpty && $0 != item.path && SimulatorStorage.parent(of: $0) == item.path }
                    .map { path in (path, storage.repositories[item.repo]?[path]?.isFolder ?? false) }
            }
            .map { path, folder -> [String: Any] in
                ["uri": "/" + (path.split(separator: "/").last.map(String.init) ?? path), "folder": folder]
            }
            info["children"] = children
        } else {
            info["size"] = String(item.size)
        }
        return info
    }

    // MARK: api/build

    private func builds(_ call: SimulatorCall, _ rest: [String]) throws(SimulatorError) -> Response {
        let project = call.target.query["project"].flatMap { $0.isEmpty ? nil : $0 }
        switch (call.method, rest.count) {
        case (.put, 0):
            let info = try call.jsonObject()
            try state.withStorage { storage throws(SimulatorError) in
                let build = try storage.putBuild(info, project: project)
                storage.emit(.build("uploaded", build))
            }
            return .empty()
        case (.post, 3) where rest[0] == "promote":
            let request = try call.jsonObject()
            let messages = try state.withStorage { storage throws(SimulatorError) in
                try storage.promote(
                    name: rest[1], number: rest[2], project: project, request: request, user: call.user, now: call.now)
            }
            return .json(["messages": messages.map { ["level": "INFO", "message": $0] }])
        case (.get, 2):
            let build = try state.withStorage { storage throws(SimulatorError) in
                try storage.build(name: rest[0], number: rest[1], project: project)
            }
            let uri = call.baseURL + "/api/build/" + Self.encodedPath(rest)
            return .json(["uri": uri, "buildInfo": SimulatorStorage.buildInfoObject(build)])
        default:
            throw .notFound("Not Found")
        }
    }

    // MARK: api/copy, api/move

    private func copyOrMove(_ call: SimulatorCall, move: Bool, repo: String, path: String) throws(SimulatorError)
        -> Response
    {
        guard let to = call.target.query["to"] else { throw .badRequest("Missing the 'to' parameter") }
        let parts = to.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let targetRepo = parts.first else { throw .badRequest("The 'to' parameter needs a repository") }
        let dryRun = call.target.flag("dry", default: false)
        let message = try state.withStorage { storage throws(SimulatorError) in
            try storage.copyOrMove(
                from: (repo, path), to: (targetRepo, parts.dropFirst().joined(separator: "/")), move: move,
                dryRun: dryRun, now: call.now)
        }
        return .json(["messages": [["level": "INFO", "message": message]]])
    }

    // MARK: api/repositories

    private func repositories(_ call: SimulatorCall, _ rest: [String]) throws(SimulatorError) -> Response {
        switch (call.method, rest.count) {
        case (.get, 0):
            let keys = state.repositoryKeys
            return .json(keys.map { ["key": $0, "type": "LOCAL", "url": call.baseURL + "/" + $0] })
        case (.put, 1):
            let key = rest[0]
            if let problem = RepositoryKey.problem(key) {
                throw .badRequest("error when validating repository name: \(problem)")
            }
            let configuration = call.body.isEmpty ? [:] : try call.jsonObject()
            guard (configuration["rclass"] as? String ?? "local") == "local" else {
                throw .badRequest("The simulator creates local repositories only")
            }
            state.addRepository(key)
            return .text("Successfully created repository '\(key)' ")
        default:
            throw .notFound("Not Found")
        }
    }

    // MARK: Deploy

    private func deploy(_ call: SimulatorCall, repo: String, path: String) throws(SimulatorError) -> Response {
        let size = call.body.count
        try state.withStorage { storage throws(SimulatorError) in
            _ = try storage.deploy(repo: repo, path: path, content: call.body, now: call.now)
        }
        let location = Self.encodedPath([repo] + path.split(separator: "/").map(String.init))
        return .json(
            [
                "repo": repo, "path": "/" + path, "created": SimulatorStorage.isoDate(call.now), "createdBy": call.user,
                "size": String(size), "downloadUri": call.baseURL + "/" + location,
                "uri": call.baseURL + "/api/storage/" + location,
            ], status: .created)
    }

    /// Segments percent-encoded (a `/` inside one becomes `%2F`) and joined with `/`.
    static func encodedPath(_ segments: [String]) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }
}

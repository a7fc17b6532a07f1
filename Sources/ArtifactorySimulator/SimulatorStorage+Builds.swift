import Foundation

extension SimulatorStorage {
    /// Build Upload: stores (or replaces) a build run from its build info JSON object.
    @discardableResult
    mutating func putBuild(_ info: [String: Any], project: String?) throws(SimulatorError) -> SimulatedBuild {
        guard let name = info["name"] as? String, !name.isEmpty, let number = Self.text(info["number"]),
            !number.isEmpty
        else { throw .badRequest("Build info must have a name and a number") }
        var stored = info
        let statuses = (stored.removeValue(forKey: "statuses") as? [[String: Any]] ?? []).compactMap(Self.status)
        let started = stored["started"] as? String ?? ""
        let data = (try? JSONSerialization.data(withJSONObject: stored, options: [.sortedKeys])) ?? Data("{}".utf8)
        let build = SimulatedBuild(
            name: name, number: number, project: project, started: started, info: data, statuses: statuses,
            artifacts: Self.artifacts(of: info))
        builds[BuildKey(name: name, number: number, project: project ?? "")] = build
        return build
    }

    /// The build run, or the 404 Artifactory gives.
    func build(name: String, number: String, project: String?) throws(SimulatorError) -> SimulatedBuild {
        guard let build = builds[BuildKey(name: name, number: number, project: project ?? "")] else {
            throw .notFound("No build was found for build name: \(name), build number: \(number)")
        }
        return build
    }

    /// Build Promotion. Appends the status to the history; with a `targetRepo`, copies or moves
    /// the build's artifacts (files whose `build.name`/`build.number` properties name the run)
    /// there and sets the promotion's properties on them. A dry run changes nothing.
    mutating func promote(
        name: String, number: String, project: String?, request: [String: Any], user: String, now: Date
    ) throws(SimulatorError) -> [String] {
        _ = try build(name: name, number: number, project: project)
        let targetRepo = request["targetRepo"] as? String
        let sourceRepo = request["sourceRepo"] as? String
        for repo in [targetRepo, sourceRepo].compactMap({ $0 }) where repositories[repo] == nil {
            throw .missingRepository(repo)
        }
        if request["dryRun"] as? Bool == true { return [] }

        let properties = (request["properties"] as? [String: Any] ?? [:]).mapValues { value in
            (value as? [Any] ?? [value]).compactMap { Self.text($0) }
        }
        let copy = request["copy"] as? Bool ?? false
        var messages: [String] = []
        for artifact in artifacts(name: name, number: number, in: sourceRepo) {
            var location = (repo: artifact.repo, path: artifact.path)
            if let targetRepo, targetRepo != artifact.repo {
                messages.append(
                    try copyOrMove(
                        from: location, to: (targetRepo, artifact.path), move: !copy, dryRun: false, now: now))
                location = (targetRepo, artifact.path)
            }
            if !properties.isEmpty {
                try setProperties(
                    repo: location.repo, path: location.path, properties: properties, recursive: false, now: now)
            }
        }
        if let status = request["status"] as? String, !status.isEmpty {
            let entry = SimulatedBuild.Status(
                status: status, comment: request["comment"] as? String, repository: targetRepo,
                timestamp: request["timestamp"] as? String ?? Self.timestamp(now), user: user,
                ciUser: request["ciUser"] as? String)
            builds[BuildKey(name: name, number: number, project: project ?? "")]?.statuses.append(entry)
        }
        if let promoted = builds[BuildKey(name: name, number: number, project: project ?? "")] {
            emit(.build("promoted", promoted))
        }
        return messages
    }

    /// Build info as Artifactory returns it: the uploaded object plus `statuses`.
    static func buildInfoObject(_ build: SimulatedBuild) -> [String: Any] {
        var info = (try? JSONSerialization.jsonObject(with: build.info)) as? [String: Any] ?? [:]
        if !build.statuses.isEmpty {
            info["statuses"] = build.statuses.map { status in
                var entry: [String: Any] = [
                    "status": status.status, "timestamp": status.timestamp, "user": status.user,
                ]
                entry["comment"] = status.comment
                entry["repository"] = status.repository
                entry["ciUser"] = status.ciUser
                return entry
            }
        }
        return info
    }

    /// The files carrying `build.name` = name and `build.number` = number.
    private func artifacts(name: String, number: String, in repo: String?) -> [SimulatedItem] {
        repositories.filter { repo == nil || $0.key == repo }.values.flatMap(\.values)
            .filter { item in
                !item.isFolder && item.properties["build.name"]?.contains(name) == true
                    && item.properties["build.number"]?.contains(number) == true
            }
            .sorted { ($0.repo, $0.path) < ($1.repo, $1.path) }
    }

    /// `modules[].artifacts[]` of a build info object.
    static func artifacts(of info: [String: Any]) -> [SimulatedBuild.Artifact] {
        (info["modules"] as? [[String: Any]] ?? []).flatMap { module in
            let id = text(module["id"]) ?? ""
            return (module["artifacts"] as? [[String: Any]] ?? []).map { artifact in
                SimulatedBuild.Artifact(
                    module: id, name: text(artifact["name"]) ?? "", type: text(artifact["type"]) ?? "",
                    sha1: text(artifact["sha1"]) ?? "", sha256: text(artifact["sha256"]) ?? "",
                    md5: text(artifact["md5"]) ?? "")
            }
        }
    }

    private static func status(_ entry: [String: Any]) -> SimulatedBuild.Status? {
        guard let status = entry["status"] as? String else { return nil }
        return SimulatedBuild.Status(
            status: status, comment: entry["comment"] as? String, repository: entry["repository"] as? String,
            timestamp: entry["timestamp"] as? String ?? "", user: entry["user"] as? String ?? "",
            ciUser: entry["ciUser"] as? String)
    }

    /// A JSON scalar as text (build numbers arrive as strings or numbers).
    static func text(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    /// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC, the build info time format.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter.string(from: date)
    }
}

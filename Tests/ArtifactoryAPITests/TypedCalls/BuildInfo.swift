import ArtifactoryEvents

/// The answer of Build Info: `{"uri": …, "buildInfo": {…}}`.
///
/// The whole `buildInfo` object is kept as ``json`` (numbers with every digit); the fields rules
/// usually need are read out of it.
struct BuildInfo: Sendable, Hashable {
    /// One entry of the build's promotion history.
    struct Status: Sendable, Hashable {
        /// The status set by the promotion (`staged`, `released`, …).
        var status: String
        /// The promotion's comment.
        var comment: String?
        /// The target repository of the promotion.
        var repository: String?
        /// When, as Artifactory wrote it.
        var timestamp: String?
        /// The Artifactory user that promoted.
        var user: String?
        /// The CI user named in the promotion.
        var ciUser: String?
    }

    /// The build's URI, as Artifactory writes it.
    var uri: String?
    /// The `buildInfo` object as sent.
    var json: JSONValue

    init(uri: String?, json: JSONValue) {
        self.uri = uri
        self.json = json
    }

    /// Parses the answer body; `nil` when it is not an object with a `buildInfo` object.
    init?(body: [UInt8]) {
        guard let root = try? JSONParser.parse(body), let info = root["buildInfo"], info.objectValue != nil else {
            return nil
        }
        self.init(uri: root["uri"]?.stringValue, json: info)
    }

    /// The build name.
    var name: String? { json["name"]?.scalarText }
    /// The build number.
    var number: String? { json["number"]?.scalarText }
    /// When the build started, as Artifactory wrote it.
    var started: String? { json["started"]?.scalarText }

    /// The promotion history, oldest first.
    var statuses: [Status] {
        guard case .array(let entries) = json["statuses"] else { return [] }
        return entries.compactMap { entry in
            guard let status = entry["status"]?.scalarText else { return nil }
            return Status(
                status: status, comment: entry["comment"]?.scalarText, repository: entry["repository"]?.scalarText,
                timestamp: entry["timestamp"]?.scalarText, user: entry["user"]?.scalarText,
                ciUser: entry["ciUser"]?.scalarText)
        }
    }
}

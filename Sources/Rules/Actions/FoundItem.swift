public import ArtifactoryEvents

/// One item a `for_each` query found, as AQL's `items.find` result gives it: what a child
/// action's `{{ item.FIELD }}` templates see, and the item it acts on unless it names another.
public struct FoundItem: Sendable, Hashable {
    /// `repo`.
    public var repo: String
    /// AQL's `path`: the folder the item is in, `.` at the repository's root.
    public var folder: String
    /// `name`.
    public var name: String
    /// Every other scalar field of the result, by AQL's name (`size`, `sha256`, `created`, …).
    public var others: [String: String]

    /// The `item.FIELD` names templates may use. `path` is the item's path in its repository
    /// (folder and name, as `data.path` of an artifact event); `folder` is AQL's `path`; `sha1`
    /// and `md5` are AQL's `actual_sha1` and `actual_md5`.
    public static let fields = [
        "repo", "path", "name", "folder", "type", "size", "sha256", "sha1", "md5", "created", "created_by",
        "modified", "modified_by", "updated", "depth",
    ]

    /// The fields a fan-out's page query names when the query has its own `.include()`.
    public static let includedFields = ["repo", "path", "name"]

    public init(repo: String, folder: String, name: String, others: [String: String] = [:]) {
        self.repo = repo
        self.folder = folder
        self.name = name
        self.others = others
    }

    /// Reads one member of AQL's `results`; `nil` without a `repo`, `path` and `name`.
    public init?(aqlResult: JSONValue) {
        guard let object = aqlResult.objectValue, let repo = object["repo"]?.stringValue,
            let folder = object["path"]?.stringValue, let name = object["name"]?.stringValue, !repo.isEmpty,
            !name.isEmpty
        else { return nil }
        var others: [String: String] = [:]
        for (key, value) in object where key != "repo" && key != "path" && key != "name" {
            if let text = value.scalarText { others[key] = text }
        }
        self.init(repo: repo, folder: folder, name: name, others: others)
    }

    /// The item's path in its repository: `folder/name`, or `name` at the root.
    public var path: String { folder == "." || folder.isEmpty ? name : folder + "/" + name }

    /// What `{{ item.FIELD }}` renders, or `nil` when the result did not carry it.
    public func value(of field: String) -> String? {
        switch field {
        case "repo": repo
        case "path": path
        case "name": name
        case "folder": folder
        case "sha1": others["actual_sha1"]
        case "md5": others["actual_md5"]
        default: others[field]
        }
    }
}

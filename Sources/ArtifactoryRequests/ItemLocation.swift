/// A file or folder in a repository, or the repository itself: the one way a request names an
/// item. Both parts are checked (``RepositoryKey``, ``ItemPath``), and the texts every item
/// endpoint writes are built once.
public struct ItemLocation: Sendable, Hashable, CustomStringConvertible {
    /// `REPO/PATH` with the path normalized (``ItemPath/text``); the key alone for the repository.
    public let text: String
    /// The same percent-encoded segment by segment, as request paths name the item.
    public let encoded: String
    /// How many UTF-8 bytes of ``text`` the key takes.
    private let keyLength: Int

    /// The item at `path` in `repo`.
    public init(repo: RepositoryKey, path: ItemPath) {
        let key = URLEncoding.percentEncode(repo.text)
        keyLength = repo.text.utf8.count
        if path.segmentCount == 0 {
            text = repo.text
            encoded = key
            return
        }
        let text = "\(repo.text)/\(path.text)"
        self.text = text
        // Both parts come back unchanged when they need no encoding (the common case): then the
        // text is already its encoded form.
        encoded = key == repo.text && path.encoded == path.text ? text : "\(key)/\(path.encoded)"
    }

    /// The item a `REPO/PATH` names, such as a copy's target: its first segment is the repository.
    /// Throws ``ArtifactoryRequestError/Code/invalidRepository`` when the path has no segment or
    /// its first is no ``RepositoryKey``.
    public init(repositoryPath: ItemPath) throws(ArtifactoryRequestError) {
        let text = repositoryPath.text
        guard repositoryPath.segmentCount > 0 else {
            throw ArtifactoryRequestError(.invalidRepository, text: text, reason: "it is empty")
        }
        let keyLength = URLText.withBytes(text) { $0.firstIndex(of: UInt8(ascii: "/")) ?? $0.count }
        let key = try RepositoryKey(String(text[..<text.utf8.index(text.startIndex, offsetBy: keyLength)]))
        self.keyLength = key.text.utf8.count
        // The whole path is already normalized and encoded segment by segment, the key included.
        self.text = text
        self.encoded = repositoryPath.encoded
    }

    /// The item at `path` in `repo`, both checked.
    public init(repo: String, path: String) throws(ArtifactoryRequestError) {
        self.init(repo: try RepositoryKey(repo), path: try ItemPath(path))
    }

    /// The repository.
    public var repo: RepositoryKey {
        RepositoryKey(checked: String(text[..<text.utf8.index(text.startIndex, offsetBy: keyLength)]))
    }

    /// The path inside the repository (``text`` after the key); empty for the repository itself.
    public var path: Substring {
        let end = text.utf8.index(text.startIndex, offsetBy: keyLength)
        return end == text.endIndex ? "" : text[text.utf8.index(after: end)...]
    }

    /// ``text``.
    public var description: String { text }
}

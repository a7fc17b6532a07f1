import ArtifactoryEvents

/// An item an artifact action names, as the request names it: its repository and its path inside
/// it, checked, with the texts every request about it needs built once.
///
/// Every item path a plan sends (`{repo}/{path}` of each item action, the `to=` of a copy or move)
/// is built here, so its repository key is always checked against ``RepositoryKey``: a key such
/// as `api` would make the request reach Artifactory's own paths instead of an item.
struct ResolvedItem {
    let repo: String
    let path: ArtifactoryEncoding.Path
    /// `artifact:REPO/PATH` (`artifact:REPO` for a repository's root): an action names it several
    /// times (its own subject and each expected effect).
    let subject: String
    /// `REPO/PATH` percent-encoded, as request paths name the item.
    let encoded: String

    /// The item `path` in `repo`; refuses a `repo` that is not a repository key as
    /// `bad_repository`, naming `role` (the rule key it came from).
    init(repo: String, path: ArtifactoryEncoding.Path, role: String) throws(RulesError) {
        try Self.checkRepository(repo, role: role)
        self.repo = repo
        self.path = path
        var url = URLText()
        url.appendEncoded(repo)
        if path.segmentCount > 0 {
            self.subject = "artifact:" + repo + "/" + path.text
            url.append("/")
            url.append(path.encoded)
        } else {
            self.subject = "artifact:" + repo
        }
        self.encoded = url.string
    }

    /// The item a whole `REPO/PATH` names (a copy's or move's `to:`): its first segment is the
    /// repository. `fullPath` must have at least one segment.
    init(fullPath: ArtifactoryEncoding.Path, role: String) throws(RulesError) {
        let (repo, rest) = fullPath.splittingFirstSegment()
        try self.init(repo: repo, path: rest, role: role)
    }

    /// Refuses a `key` that is not a repository key as `bad_repository`, naming `role`.
    static func checkRepository(_ key: String, role: String) throws(RulesError) {
        guard let problem = RepositoryKey.problem(key) else { return }
        let shown = key.count > 80 ? String(key.prefix(80)) + "…" : key
        throw RulesError(.badRepository, "\(role) \"\(shown)\" is not a repository key: \(problem)")
    }

    /// Appends `REPO/PATH`, percent-encoded.
    func appendEncoded(to url: inout URLText) {
        url.append(encoded)
    }
}

/// The item an artifact action acts on: its repository and its path inside it, checked, with the
/// texts every request about it needs built once.
struct ResolvedItem {
    let repo: String
    let path: ArtifactoryEncoding.Path
    /// `artifact:REPO/PATH`: an action names it several times (its own subject and each expected
    /// effect).
    let subject: String
    /// `REPO/PATH` percent-encoded, as request paths name the item.
    let encoded: String

    init(repo: String, path: ArtifactoryEncoding.Path) {
        self.repo = repo
        self.path = path
        self.subject = "artifact:" + repo + "/" + path.text
        var url = URLText()
        url.appendEncoded(repo)
        url.append("/")
        url.append(path.encoded)
        self.encoded = url.string
    }

    /// Appends `REPO/PATH`, percent-encoded.
    func appendEncoded(to url: inout URLText) {
        url.append(encoded)
    }
}

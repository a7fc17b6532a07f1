import ArtifactoryRequests

/// An item an action names, the one it acts on or a copy's or move's target: its location, checked,
/// and its subject, built once because an action names it several times (its own subject and each
/// expected effect).
///
/// Every item path a plan sends (`{repo}/{path}` of each item action, the `to=` of a copy or move)
/// is an ``ItemLocation``, so its repository key is always checked by ``RepositoryKey``: a key such
/// as `api` would make the request reach Artifactory's own paths instead of an item.
struct ResolvedItem {
    /// Where the item is, as requests name it.
    let location: ItemLocation
    /// `artifact:REPO/PATH` (`artifact:REPO` for a repository's root).
    let subject: String

    init(_ location: ItemLocation) {
        self.location = location
        self.subject = "artifact:" + location.text
    }
}

import ArtifactoryRequests

/// An item an action names, the one it acts on or a copy's or move's target: its location, checked,
/// and its subject, built once because an action names it several times (its own subject and each
/// expected effect).
struct ResolvedItem {
    /// Where the item is, as requests name it.
    let location: ItemLocation
    /// `artifact:REPO/PATH`.
    let subject: String

    init(_ location: ItemLocation) {
        self.location = location
        self.subject = "artifact:" + location.text
    }
}

/// An event Artifactory will send because one of the daemon's own calls succeeded (a property it
/// set, an item it copied): the rules plan these with each call, the store keeps them for the
/// loop-guard window, and an incoming event that matches one is marked self-caused.
public struct ExpectedEffect: Sendable, Hashable {
    /// The subject key the event will carry (`artifact:repo/path`, `build:name#number`).
    public var subject: String
    /// `domain.event_type` of the event (`artifact_property.added`).
    public var kind: String
    /// For property events the property key; `nil` matches any event of the kind.
    public var detail: String?

    public init(subject: String, kind: String, detail: String? = nil) {
        self.subject = subject
        self.kind = kind
        self.detail = detail
    }
}

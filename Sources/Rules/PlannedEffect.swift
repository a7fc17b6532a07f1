/// An event Artifactory will send because a planned call succeeded: the item or build it will name,
/// its kind, and for property events the property key. The daemon's loop guard marks a matching
/// incoming event as self-caused.
public struct PlannedEffect: Sendable, Hashable {
    /// Subject key of the event to expect (`artifact:repo/path`, `build:name#number`).
    public var subject: String
    /// `domain.event_type` of the event to expect.
    public var kind: String
    /// For property events, the property key; `nil` when any event of the kind matches.
    public var detail: String?

    public init(subject: String, kind: String, detail: String? = nil) {
        self.subject = subject
        self.kind = kind
        self.detail = detail
    }
}

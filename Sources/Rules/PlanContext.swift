public import Foundation

/// What planning needs besides the event and the rules.
public struct PlanContext: Sendable, Hashable {
    /// The stored event's id (`{{ event.id }}`).
    public var eventID: Int64
    /// The planning moment (`{{ now }}`, a promotion's `timestamp`).
    public var now: Date
    /// Whether the event was caused by one of the daemon's own actions. Rules skip such events
    /// unless they say `on_self_caused: true`.
    public var selfCaused: Bool
    /// How many self-caused events lead to this one (0 for an event a person or CI caused).
    public var hop: Int
    /// A self-caused event at this hop or deeper plans nothing at all. Default 3.
    public var hopLimit: Int
    /// `artifactory.project`: sent as `?project=` with a promotion whose action names no project.
    public var defaultProject: String?
    /// `rules.mode`: the mode of rules that do not say `mode:` themselves. Default `live`.
    public var defaultMode: RuleMode

    public init(
        eventID: Int64, now: Date, selfCaused: Bool = false, hop: Int = 0, hopLimit: Int = 3,
        defaultProject: String? = nil, defaultMode: RuleMode = .live
    ) {
        self.eventID = eventID
        self.now = now
        self.selfCaused = selfCaused
        self.hop = hop
        self.hopLimit = hopLimit
        self.defaultProject = defaultProject
        self.defaultMode = defaultMode
    }

    /// Whether the loop guard stops this event before any rule is tried.
    public var stoppedByHopLimit: Bool { selfCaused && hop >= hopLimit }
}

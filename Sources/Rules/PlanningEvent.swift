import ArtifactoryEvents
import Foundation

/// One event while it is planned: the event, the plan context's values, and what the actions of
/// every matching rule would otherwise compute again from them (the event's own item, the event
/// id as text, `{{ now }}`), each computed at most once.
///
/// Made afresh by every ``RuleSet/plan(_:context:)`` call and never kept, so nothing computed for
/// one event reaches another.
final class PlanningEvent {
    let event: WebhookEvent
    /// The stored event's id (`{{ event.id }}`).
    let eventID: Int64
    /// The planning moment: `{{ now }}`, a promotion's `timestamp`.
    let now: Date

    /// The item the event is about, resolved as an action without `repo:` and `path:` resolves
    /// it; `nil` until an action has resolved it (an event whose item cannot be resolved never
    /// stores one, so each action reports its own failure).
    var ownItem: ResolvedItem?

    /// The destinations of `to:` templates that do not name the rule, with their template sources
    /// (compared byte for byte: a plan meets few distinct ones, so a short list beats hashing).
    private var destinations: [(source: String, destination: ResolvedItem)] = []
    /// At most this many destinations are remembered; any more are computed for each action.
    private static let destinationLimit = 16

    /// The project of promotions whose action names none (``PlanContext/defaultProject``).
    let defaultProject: String?

    init(event: WebhookEvent, eventID: Int64, now: Date, defaultProject: String? = nil) {
        self.event = event
        self.eventID = eventID
        self.now = now
        self.defaultProject = defaultProject
    }

    /// `{{ event.id }}`.
    private(set) lazy var eventIDText = String(eventID)
    /// `{{ now }}`: ISO 8601 to the second.
    private(set) lazy var nowText = UTCTimestamp.iso8601(now)
    /// The fields conditions test, for the captures of rules that render `{{ match.NAME }}`.
    private(set) lazy var view = EventView(event)

    /// The destination already computed for a `to:` template written as `source`.
    func destination(source: String) -> ResolvedItem? {
        destinations.first { ValueMatcher.sameBytes($0.source, source) }?.destination
    }

    /// Remembers the destination of a `to:` template written as `source`, which must not name the
    /// rule (its text is the same for every rule).
    func remember(_ destination: ResolvedItem, source: String) {
        if destinations.count < Self.destinationLimit { destinations.append((source, destination)) }
    }
}

import ArtifactoryEvents

/// `once_within:` with its `key:`, on a rule or on one action of its `do:`: within the window,
/// events that render the same key plan nothing more for that rule (or that action).
///
/// Planning only renders the key: each planned action carries a ``ThrottleClaim``, and
/// the store decides it in the transaction that writes the event's jobs, where the windows live
/// (so they survive restarts and hold across daemons sharing a PostgreSQL database).
struct Throttle: Sendable {
    /// `once_within:`, from 1s to ``longest``.
    var window: Duration
    /// `key:`; `nil`: the event's subject (`build:NAME#NUMBER`, `artifact:REPO/PATH`, …), and one
    /// window for all events without a subject.
    var key: Template?

    /// The longest window accepted: 366 days.
    static let longest = Duration.seconds(366 * 86400)

    /// The claim for one event: `scope` (the rule's name, or `RULE#INDEX` for an action's) and the
    /// rendered key.
    func claim(scope: String, context: RenderContext) throws(RulesError) -> ThrottleClaim {
        let rendered = try key?.render(context) ?? context.event.subject.key
        return ThrottleClaim(scope: scope, key: rendered, window: window)
    }

    /// `30s`, `10m`, `2h`, `1d`: a whole number and a unit; `nil` when malformed, zero or longer
    /// than ``longest``.
    static func parseWindow(_ text: String) -> Duration? {
        let units: [(suffix: Character, seconds: Int64)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        guard let last = text.last, let unit = units.first(where: { $0.suffix == last }) else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int64(digits), count > 0
        else { return nil }
        let window = Duration.seconds(count * unit.seconds)
        return window <= longest ? window : nil
    }
}

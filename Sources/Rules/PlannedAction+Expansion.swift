import ArtifactoryEvents
import Foundation

extension PlannedAction {
    /// What makes a planned action an expansion job (`for_each`): its ``PlannedAction/request`` is
    /// the query (`POST api/search/aql`), and the worker plans one child job per item it finds
    /// (``ChildPlanner``) from the action kept here.
    public struct Expansion: Sendable, Hashable {
        /// `max_items:` of the action; `nil`: the worker's `worker.max_fanout_items`.
        public var maxItems: Int?
        /// The child action, rendered but for its `item.*` fields.
        var action: ChildAction

        init(maxItems: Int?, action: ChildAction) {
            self.maxItems = maxItems
            self.action = action
        }

        private struct Stored: Codable {
            var maxItems: Int?
            var action: ChildAction

            enum CodingKeys: String, CodingKey {
                case maxItems = "max_items"
                case action
            }
        }

        /// The JSON text kept in the job's request under `for_each` (members sorted).
        var storedJSON: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(Stored(maxItems: maxItems, action: action))) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }

        init(storedJSON: String) throws(StoredJSONError) {
            do {
                let stored = try JSONDecoder().decode(Stored.self, from: Data(storedJSON.utf8))
                self.init(maxItems: stored.maxItems, action: stored.action)
            } catch {
                throw StoredJSONError("the for_each member does not decode: \(error)")
            }
        }

        /// The kind of the child jobs.
        public var childKind: Kind { action.kind }
    }
}

/// Plans the child jobs of an expansion, one per found item: pure, and the same for the same
/// stored expansion and item.
public struct ChildPlanner: Sendable {
    let rule: String
    let actionIndex: Int
    let spec: ActionSpec
    /// An event only for the type's sake: child templates name nothing of it.
    private static let placeholder = WebhookEvent(
        kind: EventKind(domain: .artifact, eventType: "for_each"), data: .object([:]), subscriptionKey: nil,
        origin: nil, source: nil)

    /// The planner of `expansion`'s children; `nil` when `expansion` is not an expansion job of
    /// an item action.
    public init?(_ expansion: PlannedAction) {
        guard let stored = expansion.expansion, let spec = stored.action.spec else { return nil }
        rule = expansion.rule
        actionIndex = expansion.actionIndex
        self.spec = spec
    }

    /// The child action for `item`: the item is its target unless the action names `repo:` and
    /// `path:`, and its `{{ item.FIELD }}` templates render the item's fields.
    public func child(for item: FoundItem) throws(RulesError) -> PlannedAction {
        let planning = PlanningEvent(event: Self.placeholder, eventID: 0, now: Date(timeIntervalSince1970: 0))
        return try spec.plan(index: actionIndex, context: RenderContext(planning: planning, rule: rule, item: item))
    }
}

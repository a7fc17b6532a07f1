import ArtifactoryEvents
import Foundation

extension PlannedAction {
    /// What makes a planned action an expansion job (`for_each`): its ``PlannedAction/request`` is
    /// the query (`POST api/search/aql`), and the worker plans child jobs for each item it finds
    /// (``ChildPlanner``) from the actions kept here, one per action, in order.
    public struct Expansion: Sendable, Hashable {
        /// `max_items:` of the `for_each`; `nil`: the worker's `worker.max_fanout_items`.
        public var maxItems: Int?
        /// The child actions, rendered but for their `item.*` fields; never empty.
        var actions: [ChildAction]

        init(maxItems: Int?, actions: [ChildAction]) {
            self.maxItems = maxItems
            self.actions = actions
        }

        /// Stored as `{"action":…}` for one action and `{"actions":[…]}` for a block of several.
        private struct Stored: Codable {
            var maxItems: Int?
            var action: ChildAction?
            var actions: [ChildAction]?

            enum CodingKeys: String, CodingKey {
                case maxItems = "max_items"
                case action
                case actions
            }
        }

        /// The JSON text kept in the job's request under `for_each` (members sorted).
        var storedJSON: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let stored =
                actions.count == 1
                ? Stored(maxItems: maxItems, action: actions[0]) : Stored(maxItems: maxItems, actions: actions)
            let data = (try? encoder.encode(stored)) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }

        init(storedJSON: String) throws(StoredJSONError) {
            let stored: Stored
            do {
                stored = try JSONDecoder().decode(Stored.self, from: Data(storedJSON.utf8))
            } catch {
                throw StoredJSONError("the for_each member does not decode: \(error)")
            }
            let actions = stored.actions ?? stored.action.map { [$0] } ?? []
            guard !actions.isEmpty else { throw StoredJSONError("the for_each member names no action") }
            self.init(maxItems: stored.maxItems, actions: actions)
        }

        /// The kinds of the child jobs planned for each item, in order.
        public var childKinds: [Kind] { actions.map(\.kind) }
    }
}

/// Plans the child jobs of an expansion for each found item: pure, and the same for the same
/// stored expansion and item.
public struct ChildPlanner: Sendable {
    /// One child job: its action, and its key, unique within the expansion (the store inserts
    /// each key once, so a repeated page creates no child twice).
    public struct Child: Sendable {
        public var key: String
        public var action: PlannedAction
    }

    let rule: String
    let actionIndex: Int
    let specs: [ActionSpec]
    /// An event only for the type's sake: child templates name nothing of it.
    private static let placeholder = WebhookEvent(
        kind: EventKind(domain: .artifact, eventType: "for_each"), data: .object([:]), subscriptionKey: nil,
        origin: nil, source: nil)

    /// The planner of `expansion`'s children; `nil` when `expansion` is not an expansion job of
    /// item actions.
    public init?(_ expansion: PlannedAction) {
        guard let stored = expansion.expansion else { return nil }
        var specs: [ActionSpec] = []
        for action in stored.actions {
            guard let spec = action.spec else { return nil }
            specs.append(spec)
        }
        rule = expansion.rule
        actionIndex = expansion.actionIndex
        self.specs = specs
    }

    /// The child jobs for `item`, one per action in order, all or none: each action's item is its
    /// target unless it names `repo:` and `path:`, and its `{{ item.FIELD }}` templates render the
    /// item's fields. The key is `REPO/PATH` of the item for one action, and `N:REPO/PATH` (N the
    /// action's position, from 0) in a block of several.
    public func children(for item: FoundItem) throws(RulesError) -> [Child] {
        let planning = PlanningEvent(event: Self.placeholder, eventID: 0, now: Date(timeIntervalSince1970: 0))
        let context = RenderContext(planning: planning, rule: rule, item: item)
        let itemKey = item.repo + "/" + item.path
        var children: [Child] = []
        for (position, spec) in specs.enumerated() {
            let key = specs.count == 1 ? itemKey : "\(position):" + itemKey
            children.append(Child(key: key, action: try spec.plan(index: actionIndex, context: context)))
        }
        return children
    }
}

public import ArtifactoryRequests

/// A planned action's guard (`require:`), with what it asks about already resolved: the worker
/// fetches what it names from Artifactory just before the call and, when it does not hold,
/// finishes the job as skipped with ``failure(given:)`` as the reason. It needs neither the rules
/// nor the event.
public struct ActionGuard: Sendable, Hashable, CustomStringConvertible {
    /// A build run, by name and number.
    public struct BuildRun: Sendable, Hashable {
        public var name: PathSegment
        public var number: PathSegment

        public init(name: PathSegment, number: PathSegment) {
            self.name = name
            self.number = number
        }
    }

    /// The parts, kept behind one reference: a planned action without a guard stays as small
    /// as before (planning copies planned actions), and one with a guard copies a pointer.
    private final class Parts: Sendable {
        let item: ItemLocation?
        let build: BuildRun?
        let condition: GuardCondition
        let conditionJSON: String

        init(item: ItemLocation?, build: BuildRun?, condition: GuardCondition) {
            self.item = item
            self.build = build
            self.condition = condition
            self.conditionJSON = condition.storedJSON
        }
    }

    private let parts: Parts

    /// The item `item.*` tests read: the one the action acts on (for copy and move, the source).
    /// `nil` when the guard reads no `item.*` field.
    public var item: ItemLocation? { parts.item }
    /// The build run `build.status` reads: `promote_build`'s, else the event's. `nil` when the
    /// guard reads no `build.*` field.
    public var build: BuildRun? { parts.build }
    var condition: GuardCondition { parts.condition }
    /// ``condition`` as stored, which also decides equality.
    var conditionJSON: String { parts.conditionJSON }

    init(condition: GuardCondition, item: ItemLocation?, build: BuildRun?) {
        parts = Parts(item: item, build: build, condition: condition)
    }

    /// Whether File/Folder Info is needed (`item.exists`, `item.size`).
    public var needsItemInfo: Bool { condition.fields.contains { $0 == .exists || $0 == .size } }
    /// Whether Item Properties is needed (`item.properties.KEY`).
    public var needsProperties: Bool {
        condition.fields.contains {
            if case .property = $0 { return true }
            return false
        }
    }
    /// Whether Build Info is needed (`build.status`).
    public var needsBuildInfo: Bool { condition.fields.contains(.buildStatus) }

    /// Why the guard does not hold for `facts`; `nil` when it holds.
    public func failure(given facts: GuardFacts) -> String? { condition.failure(facts) }

    /// `require {item.properties.locked: {not: "true"}} (item libs-release-local/a.jar)`.
    public var description: String {
        var about: [String] = []
        if let item { about.append("item \(item.text)") }
        if let build { about.append("build \(build.name.text)#\(build.number.text)") }
        return "require \(condition.written) (\(about.joined(separator: ", ")))"
    }

    public static func == (lhs: ActionGuard, rhs: ActionGuard) -> Bool {
        lhs.item == rhs.item && lhs.build == rhs.build && lhs.conditionJSON == rhs.conditionJSON
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(item)
        hasher.combine(build)
        hasher.combine(conditionJSON)
    }
}

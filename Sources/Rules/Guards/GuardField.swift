/// What a guard (`require:`) can ask Artifactory about, just before the call: the facts no event
/// carries.
enum GuardField: Sendable, Hashable, CustomStringConvertible {
    /// `item.properties.KEY`: the values of one property of the item (none when the item or the
    /// property is missing).
    case property(String)
    /// `item.exists`: `true` or `false`.
    case exists
    /// `item.size`: the item's size in bytes (a file's; none for a folder or a missing item).
    case size
    /// `build.status`: the build run's latest promotion status (none before its first promotion).
    case buildStatus

    /// The keys `require:` knows, for did-you-mean.
    static let keys = ["item.properties.KEY", "item.exists", "item.size", "build.status"]

    init?(key: String) {
        switch key {
        case "item.exists": self = .exists
        case "item.size": self = .size
        case "build.status": self = .buildStatus
        default:
            let prefix = "item.properties."
            guard key.hasPrefix(prefix), key.count > prefix.count else { return nil }
            self = .property(String(key.dropFirst(prefix.count)))
        }
    }

    /// Whether the field is about the action's item (else about a build run).
    var isItemField: Bool { self != .buildStatus }

    var description: String {
        switch self {
        case .property(let key): "item.properties.\(key)"
        case .exists: "item.exists"
        case .size: "item.size"
        case .buildStatus: "build.status"
        }
    }

    /// The field's values in `facts`.
    func values(in facts: GuardFacts) -> FieldValues {
        switch self {
        case .property(let key):
            guard let values = facts.properties[key], !values.isEmpty else { return .none }
            return values.count == 1 ? .one(values[0]) : .many(values)
        case .exists: return facts.exists.map { .one($0 ? "true" : "false") } ?? .none
        case .size: return FieldValues(facts.size.map(String.init))
        case .buildStatus: return FieldValues(facts.buildStatus)
        }
    }
}

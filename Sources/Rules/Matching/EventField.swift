import ArtifactoryEvents

/// A field of an event that a `when:` condition tests, named as in rule files (`repo`, `tag`,
/// `data.FIELD`, …).
enum EventField: Sendable, Hashable, CustomStringConvertible {
    case repo
    case path
    case name
    case sha256
    case size
    case buildName
    case buildNumber
    case buildRepo
    case propertyKey
    case propertyValues
    case imageName
    case tag
    case bundleName
    case bundleVersion
    /// `jpd_origin` of the envelope.
    case origin
    /// `subscription_key` of the envelope.
    case subscription
    /// A member of `data`, by a path of member names (`data.a.b` → `["a", "b"]`).
    case data([String])

    /// The condition keys with a fixed name, in the order the docs list them.
    static let named: [(key: String, field: EventField)] = [
        ("repo", .repo), ("path", .path), ("name", .name), ("sha256", .sha256), ("size", .size),
        ("build_name", .buildName), ("build_number", .buildNumber), ("build_repo", .buildRepo),
        ("property_key", .propertyKey), ("property_values", .propertyValues), ("image_name", .imageName),
        ("tag", .tag), ("bundle_name", .bundleName), ("bundle_version", .bundleVersion), ("origin", .origin),
        ("subscription", .subscription),
    ]

    /// Parses a condition key; `nil` when it names no field.
    init?(key: String) {
        if key.hasPrefix("data.") {
            let members = key.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !members.contains(where: \.isEmpty) else { return nil }
            self = .data(members)
            return
        }
        guard let field = Self.named.first(where: { $0.key == key })?.field else { return nil }
        self = field
    }

    var description: String {
        if case .data(let members) = self { return "data." + members.joined(separator: ".") }
        return Self.named.first { $0.field == self }?.key ?? "?"
    }

    /// The field's values in an event: none when absent, several for `property_values` and for a
    /// `data` member that is a list of scalars.
    func values(in event: EventView) -> FieldValues {
        switch self {
        case .repo: return FieldValues(event.repo)
        case .path: return FieldValues(event.path)
        case .name: return FieldValues(event.name)
        case .sha256: return FieldValues(event.sha256)
        case .size: return FieldValues(event.size)
        case .buildName: return FieldValues(event.buildName)
        case .buildNumber: return FieldValues(event.buildNumber)
        case .buildRepo: return FieldValues(event.buildRepo)
        case .propertyKey: return FieldValues(event.propertyKey)
        case .propertyValues: return event.propertyValues.map { .many($0) } ?? .none
        case .imageName: return FieldValues(event.imageName)
        case .tag: return FieldValues(event.tag)
        case .bundleName: return FieldValues(event.bundleName)
        case .bundleVersion: return FieldValues(event.bundleVersion)
        case .origin: return FieldValues(event.origin)
        case .subscription: return FieldValues(event.subscription)
        case .data(let members):
            guard let value = event.data.member(at: members) else { return .none }
            if case .array(let items) = value { return .many(items.compactMap(\.scalarText)) }
            return FieldValues(value.scalarText)
        }
    }

    /// The domains whose typed data carries this field; `nil` when any event may carry it.
    var domains: Set<EventDomain>? {
        switch self {
        case .repo, .path, .name, .sha256, .size: [.artifact, .artifactProperty, .docker, .artifactLifecycle]
        case .buildName, .buildNumber, .buildRepo: [.build]
        case .propertyKey, .propertyValues: [.artifactProperty]
        case .imageName, .tag: [.docker]
        case .bundleName, .bundleVersion:
            [
                .releaseBundle, .releaseBundleV2, .releaseBundleV2Promotion, .distribution, .destination,
                .artifactoryReleaseBundle,
            ]
        case .origin, .subscription, .data: nil
        }
    }
}

/// The values of one field in one event.
enum FieldValues: Sendable, Hashable {
    case none
    case one(String)
    case many([String])

    init(_ value: String?) {
        self = value.map { .one($0) } ?? .none
    }

    /// Whether any value satisfies `predicate`; `false` when there is none.
    func contains(where predicate: (String) -> Bool) -> Bool {
        switch self {
        case .none: false
        case .one(let value): predicate(value)
        case .many(let values): values.contains(where: predicate)
        }
    }

    var isEmpty: Bool {
        switch self {
        case .none: true
        case .one: false
        case .many(let values): values.isEmpty
        }
    }

    /// The values quoted for a message: `"a"` or `["a", "b"]`.
    var quoted: String {
        switch self {
        case .none: "nothing"
        case .one(let value): "\"\(value)\""
        case .many(let values): "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }
}

extension WebhookEvent {
    /// The item in a repository this event is about, for artifact-like domains.
    var item: ArtifactData? {
        switch typedData {
        case .artifact(let item), .artifactLifecycle(let item): item
        case .artifactProperty(let property): property.item
        case .docker(let image): image.item
        default: nil
        }
    }

    /// The build run this event is about, for the build domain.
    var build: BuildData? {
        if case .build(let build) = typedData { return build }
        return nil
    }
}

extension JSONValue {
    /// The value at a path of object member names, when every step is an object member.
    func member(at path: [String]) -> JSONValue? {
        var current = self
        for name in path {
            guard let next = current[name] else { return nil }
            current = next
        }
        return current
    }
}

import Foundation

/// A field of AQL's item domain, as criteria, `.include` and `.sort` name it.
enum AQLField: String, CaseIterable, Sendable {
    case repo, path, name, type, size, depth, created, modified, updated
    case createdBy = "created_by"
    case modifiedBy = "modified_by"
    case actualSHA1 = "actual_sha1"
    case originalSHA1 = "original_sha1"
    case sha256
    case actualMD5 = "actual_md5"
    case originalMD5 = "original_md5"

    init?(_ name: String) { self.init(rawValue: name) }

    /// The fields an item shows without `.include`, in Artifactory's order.
    static let defaultOutput: [AQLField] = [
        .repo, .path, .name, .type, .size, .created, .createdBy, .modified, .modifiedBy, .updated,
    ]

    /// Whether `.include` may name `field`: an item field, `*`, or a property selector.
    static func isIncludable(_ field: String) -> Bool {
        field == "*" || AQLField(field) != nil || isPropertySelector(field)
    }

    /// `property`, `property.*`, `property.key`, `property.value`, `@` or `@key`.
    static func isPropertySelector(_ field: String) -> Bool {
        ["property", "property.*", "property.key", "property.value", "@"].contains(field)
            || (field.hasPrefix("@") && field.count > 1)
    }

    /// The item fields an output with `include` shows: the named ones, all for `*`, the default
    /// ones when it names only properties (as the documentation describes).
    static func shownFields(include: [String]?) -> [String] {
        guard let include else { return defaultOutput.map(\.rawValue) }
        if include.contains("*") { return allCases.map(\.rawValue) }
        let named = include.filter { AQLField($0) != nil }
        return named.isEmpty ? defaultOutput.map(\.rawValue) : named
    }

    /// The field's value for `item`, as the answer shows it; `nil` where the item has none
    /// (checksums of folders).
    func value(of item: SimulatedItem) -> Any? {
        switch self {
        case .repo: item.repo
        case .path: item.folderPath
        case .name: item.name
        case .type: item.isFolder ? "folder" : "file"
        case .size: item.size
        case .depth: item.depth
        case .created: SimulatorStorage.isoDate(item.created)
        case .modified, .updated: SimulatorStorage.isoDate(item.modified)
        case .createdBy, .modifiedBy: "simulator"
        case .actualSHA1, .originalSHA1: item.isFolder ? nil : item.sha1
        case .sha256: item.isFolder ? nil : item.sha256
        case .actualMD5, .originalMD5: item.isFolder ? nil : item.md5
        }
    }

    /// The field's value as criteria compare it.
    func text(of item: SimulatedItem) -> String? {
        switch self {
        case .size: String(item.size)
        case .depth: String(item.depth)
        default: value(of: item) as? String
        }
    }

    /// Orders two items by this field: numbers and times by value, text by code points.
    func ascending(_ left: SimulatedItem, _ right: SimulatedItem) -> Bool? {
        switch self {
        case .size: return left.size == right.size ? nil : left.size < right.size
        case .depth: return left.depth == right.depth ? nil : left.depth < right.depth
        case .created: return left.created == right.created ? nil : left.created < right.created
        case .modified, .updated: return left.modified == right.modified ? nil : left.modified < right.modified
        default:
            let (a, b) = (value(of: left) as? String ?? "", value(of: right) as? String ?? "")
            return a == b ? nil : a < b
        }
    }
}

/// A field a criterion may test: an item field, a property, or one reached through the build
/// relation (item → artifact → module → build).
enum AQLCriterionField: Sendable, Hashable {
    case item(AQLField)
    /// `@key`: the values of property `key`.
    case property(String)
    /// `property.key`: every property key.
    case propertyKey
    /// `property.value`: every property value.
    case propertyValue
    case artifactName, artifactType, artifactSHA1, artifactMD5, moduleName, buildName, buildNumber, buildRepo

    private static let relation: [String: AQLCriterionField] = [
        "artifact.name": .artifactName, "artifact.type": .artifactType, "artifact.sha1": .artifactSHA1,
        "artifact.md5": .artifactMD5, "artifact.module.name": .moduleName,
        "artifact.module.build.name": .buildName, "artifact.module.build.number": .buildNumber,
        "artifact.module.build.repo": .buildRepo,
    ]

    init?(_ name: String) {
        if let field = AQLField(name) {
            self = .item(field)
        } else if let field = Self.relation[name] {
            self = field
        } else if name == "property.key" {
            self = .propertyKey
        } else if name == "property.value" {
            self = .propertyValue
        } else if name.hasPrefix("@"), name.count > 1 {
            self = .property(String(name.dropFirst()))
        } else {
            return nil
        }
    }

    /// Whether the field is reached through the build relation.
    var isRelation: Bool {
        switch self {
        case .item, .property, .propertyKey, .propertyValue: false
        default: true
        }
    }

    /// The field's values for `item` joined with `link` (one of its build artifacts, or `nil`).
    /// A relation field without a link has no value, so no operator holds for it (SQL's NULL).
    func values(of item: SimulatedItem, link: SimulatorStorage.BuildLink?) -> [String]? {
        switch self {
        case .item(.type): return [item.isFolder ? "folder" : "file", "any"]
        case .item(let field): return field.text(of: item).map { [$0] } ?? []
        case .property(let key): return item.properties[key] ?? []
        case .propertyKey: return Array(item.properties.keys)
        case .propertyValue: return item.properties.values.flatMap { $0 }
        default: break
        }
        guard let link else { return nil }
        switch self {
        case .artifactName: return [link.artifact.name]
        case .artifactType: return [link.artifact.type]
        case .artifactSHA1: return [link.artifact.sha1]
        case .artifactMD5: return [link.artifact.md5]
        case .moduleName: return [link.artifact.module]
        case .buildName: return [link.build.name]
        case .buildNumber: return [link.build.number]
        default: return [link.build.repository]
        }
    }
}

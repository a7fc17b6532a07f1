import ArtifactoryEvents
import Foundation

/// A `for_each` action as its expansion job keeps it: the action's kind and options, and each
/// template with every expression but `item.FIELD` already rendered for the event. Stored as JSON
/// in the job (`{"kind":"set_properties","properties":[{"key":"release","values":[["1.0"]]}]}`, a
/// template being a list of literal strings and `{"item":"FIELD"}` objects, with `"filters"` when
/// the template filters the field), so the children do
/// not depend on the rules as they are when the job runs, nor on the event's body.
struct ChildAction: Sendable, Hashable, Codable {
    /// A template's parts: a literal, or an item field with the filters its value passes through
    /// (`{"item":"path","filters":[["dirname"],["replace","a","b"]]}`; without filters the member
    /// is left out, as rows stored before filters existed have it).
    enum Part: Sendable, Hashable, Codable {
        case text(String)
        case item(String, filters: [TemplateFilter])

        private enum CodingKeys: String, CodingKey {
            case item, filters
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .text(text)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var filters: [TemplateFilter] = []
            for stored in try container.decodeIfPresent([[String]].self, forKey: .filters) ?? [] {
                do {
                    filters.append(try TemplateFilter(name: stored.first ?? "", arguments: Array(stored.dropFirst())))
                } catch {
                    throw DecodingError.dataCorruptedError(
                        forKey: .filters, in: container, debugDescription: error.message)
                }
            }
            self = .item(try container.decodeIfPresent(String.self, forKey: .item) ?? "", filters: filters)
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .text(let text):
                var container = encoder.singleValueContainer()
                try container.encode(text)
            case .item(let field, let filters):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(field, forKey: .item)
                if !filters.isEmpty { try container.encode(filters.map(\.stored), forKey: .filters) }
            }
        }
    }

    struct Property: Sendable, Hashable, Codable {
        var key: String
        var values: [[Part]]
    }

    var kind: PlannedAction.Kind
    var repo: [Part]?
    var path: [Part]?
    var recursive: Bool?
    var properties: [Property]?
    var keys: [String]?
    var to: [Part]?
    var dryRun: Bool?
    var suppressLayouts: Bool?
    var failFast: Bool?
    /// The child's guard (`require:` with `item.*` tests), as ``GuardCondition/storedJSON``; each
    /// child resolves it to its own found item. Absent in rows written before guards.
    var require: String?

    enum CodingKeys: String, CodingKey {
        case kind, repo, path, recursive, properties, keys, to, require
        case dryRun = "dry_run"
        case suppressLayouts = "suppress_layouts"
        case failFast = "fail_fast"
    }

    /// `spec` with its templates rendered for the event in `context`, but for `item.FIELD`.
    init(_ spec: ActionSpec, context: RenderContext) throws(RulesError) {
        func parts(_ template: Template?) throws(RulesError) -> [Part]? {
            guard let template else { return nil }
            return try template.renderingAllButItem(context).map {
                switch $0 {
                case .literal(let text): .text(text)
                case .expression(.item(let field)): .item(field, filters: [])
                case .filtered(.item(let field), let filters): .item(field, filters: filters)
                case .expression, .filtered: .text("")
                }
            }
        }
        kind = spec.kind
        require = spec.requirement?.storedJSON
        repo = try parts(spec.target.repo)
        path = try parts(spec.target.path)
        switch spec.operation {
        case .setProperties(let list, let isRecursive):
            recursive = isRecursive
            var rendered: [Property] = []
            for property in list {
                var values: [[Part]] = []
                for value in property.values { values.append(try parts(value) ?? []) }
                rendered.append(Property(key: property.key, values: values))
            }
            properties = rendered
        case .deleteProperties(let list, let isRecursive):
            recursive = isRecursive
            keys = list
        case .copy(let transfer), .move(let transfer):
            to = try parts(transfer.to)
            dryRun = transfer.dryRun
            suppressLayouts = transfer.suppressLayouts
            failFast = transfer.failFast
        case .delete: break
        case .promoteBuild, .call, .forEach:
            throw RulesError(.missingTarget, "\(spec.kind) cannot run for_each", rule: context.rule)
        }
    }

    /// The action as the rules engine plans it, for one item at a time; `nil` for a kind that acts
    /// on no item (a stored row can name any kind, and only item actions run per item) or a guard
    /// that does not read back.
    var spec: ActionSpec? {
        func template(_ parts: [Part]?) -> Template? {
            parts.map { list in
                Template(
                    parts: list.map {
                        switch $0 {
                        case .text(let text): .literal(text)
                        case .item(let field, let filters): .expression(.item(field), filters: filters)
                        }
                    })
            }
        }
        let operation: ActionSpec.Operation
        switch kind {
        case .setProperties:
            operation = .setProperties(
                (properties ?? []).map {
                    ActionSpec.Property(key: $0.key, values: $0.values.compactMap { template($0) })
                },
                recursive: recursive ?? false)
        case .deleteProperties: operation = .deleteProperties(keys ?? [], recursive: recursive ?? false)
        case .copy, .move:
            let transfer = ActionSpec.Transfer(
                to: template(to) ?? Template(literal: ""), dryRun: dryRun, suppressLayouts: suppressLayouts,
                failFast: failFast)
            operation = kind == .copy ? .copy(transfer) : .move(transfer)
        case .delete: operation = .delete
        case .promoteBuild, .artifactory, .platform, .http, .forEach: return nil
        }
        var spec = ActionSpec(
            operation: operation, target: ActionSpec.ArtifactTarget(repo: template(repo), path: template(path)))
        if let require {
            // A guard that does not read back is not dropped: the expansion cannot plan its children.
            guard let value = try? StoredJSONError.parse(require), let condition = try? GuardCondition(stored: value)
            else { return nil }
            spec.requirement = condition
        }
        return spec
    }
}

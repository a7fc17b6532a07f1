import ArtifactoryEvents

/// What `subscriptions apply` would do, subscription by subscription: pure, from the config and
/// what the Event API lists.
public struct SubscriptionPlan: Sendable {
    /// One field that differs: its name as the config writes it, and both values as text.
    /// The secret is never one of them (see ``Item/secretChanged``).
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        public var current: String
        public var wanted: String
    }

    /// What happens to one subscription.
    public enum Action: Sendable, Equatable {
        /// Not in Artifactory: created.
        case create
        /// In Artifactory but different: updated (the whole subscription is sent).
        case update
        /// In Artifactory as configured.
        case unchanged
        /// In Artifactory with the key prefix but not in the config: deleted by `apply --prune`.
        case delete
    }

    /// One subscription's entry.
    public struct Item: Sendable {
        public var key: String
        public var action: Action
        /// The fields that differ (``Action/update`` only).
        public var changes: [FieldChange]
        /// Whether Artifactory gave the secret back and it is not the endpoint's secret.
        public var secretChanged: Bool
        /// The configured subscription (`nil` for ``Action/delete``).
        public var wanted: DaemonConfig.Subscription?
    }

    /// Every configured subscription in config order, then the ones `--prune` deletes.
    public var items: [Item]
    /// Subscriptions with the key prefix that the config lacks, when `--prune` was not asked for:
    /// listed, not counted as changes.
    public var strays: [String]
    /// Whether Artifactory gave back none of the secrets, so they could not be compared.
    public var secretsUnreadable: Bool

    /// Whether applying it would change anything.
    public var hasChanges: Bool { items.contains { $0.action != .unchanged } }

    /// Compares `wanted` (the config) with `remote` (the Event API's list); `secrets` holds the
    /// secret each subscription would send, by key. With `prune`, subscriptions whose key starts
    /// with `keyPrefix` and that the config lacks are planned for deletion.
    package static func make(
        wanted: [DaemonConfig.Subscription], remote: [RemoteSubscription], secrets: [String: String],
        keyPrefix: String?, prune: Bool
    ) -> SubscriptionPlan {
        let byKey = Dictionary(remote.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        var unreadable = true
        for subscription in wanted {
            guard let current = byKey[subscription.key] else {
                items.append(
                    Item(
                        key: subscription.key, action: .create, changes: [], secretChanged: false, wanted: subscription)
                )
                continue
            }
            let changes = differences(current, subscription)
            var secretChanged = false
            if let secret = current.secret {
                unreadable = false
                secretChanged = secret != secrets[subscription.key]
            }
            let action: Action = changes.isEmpty && !secretChanged ? .unchanged : .update
            items.append(
                Item(
                    key: subscription.key, action: action, changes: changes, secretChanged: secretChanged,
                    wanted: subscription))
        }
        let configured = Set(wanted.map(\.key))
        let extra = remote.map(\.key).filter { key in
            guard let keyPrefix, !configured.contains(key) else { return false }
            return key.hasPrefix(keyPrefix)
        }.sorted()
        if prune {
            items += extra.map { Item(key: $0, action: .delete, changes: [], secretChanged: false, wanted: nil) }
        }
        return SubscriptionPlan(items: items, strays: prune ? [] : extra, secretsUnreadable: unreadable)
    }

    /// The managed fields of `current` that differ from `wanted`, in a fixed order. Lists compare
    /// as sets (Artifactory need not keep their order); a criterion Artifactory leaves out counts
    /// as `false` or empty.
    static func differences(_ current: RemoteSubscription, _ wanted: DaemonConfig.Subscription) -> [FieldChange] {
        var changes: [FieldChange] = []
        func note(_ field: String, _ old: String, _ new: String) {
            if old != new { changes.append(FieldChange(field: field, current: old, wanted: new)) }
        }
        note("description", quoted(current.description), quoted(wanted.description))
        note("enabled", String(current.enabled), String(wanted.enabled))
        note("domain", current.domain, wanted.domain.rawValue)
        if Set(current.eventTypes) != Set(wanted.eventTypes) {
            note("event_types", list(current.eventTypes), list(wanted.eventTypes))
        }
        let names = ConfigReader.criteriaKeys(of: wanted.domain) ?? []
        for criterion in wanted.criteria {
            let field = "criteria." + (names.first { $0.apiName == criterion.name }?.key ?? criterion.name)
            switch criterion.value {
            case .flag(let flag):
                guard case .flag(let old) = current.criteria[criterion.name] ?? .flag(false) else {
                    note(field, "(not a flag)", String(flag))
                    continue
                }
                note(field, String(old), String(flag))
            case .list(let values):
                guard case .list(let old) = current.criteria[criterion.name] ?? .list([]) else {
                    note(field, "(not a list)", list(values))
                    continue
                }
                if Set(old) != Set(values) { note(field, list(old), list(values)) }
            }
        }
        if current.handlerCount != 1 { note("handlers", "\(current.handlerCount)", "1") }
        note("handler_type", current.handlerType ?? "(none)", "webhook")
        note("url", current.url ?? "(none)", wanted.url)
        note("use_secret_for_signing", String(current.useSecretForSigning), String(wanted.useSecretForSigning))
        note("proxy", current.proxy ?? "(none)", wanted.proxy ?? "(none)")
        return changes
    }

    private static func quoted(_ text: String) -> String { "\"" + text + "\"" }

    private static func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
}

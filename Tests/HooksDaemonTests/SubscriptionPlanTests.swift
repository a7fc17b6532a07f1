import ArtifactoryEvents
import HooksDaemon
import Testing

/// The plan alone: what counts as a difference, and the secret shown only as "changed".
struct SubscriptionPlanTests {
    static let wanted = DaemonConfig.Subscription(
        key: "hooks-deploys", description: "Deploys", endpoint: "main", url: "https://hooks.example.com/webhooks/main",
        domain: .artifact, eventTypes: ["deployed", "copied"],
        criteria: [
            .init(name: "anyLocal", value: .flag(true)), .init(name: "anyRemote", value: .flag(false)),
            .init(name: "repoKeys", value: .list(["a", "b"])), .init(name: "excludePatterns", value: .list([])),
        ], useSecretForSigning: true)

    /// The subscription as the Event API would list it, with `changes` applied to the JSON.
    static func remote(key: String = "hooks-deploys", _ changes: (inout [String: Any]) -> Void = { _ in })
        -> RemoteSubscription
    {
        var json: [String: Any] = [
            "key": key, "description": "Deploys", "enabled": true,
            "event_filter": [
                "domain": "artifact", "event_types": ["copied", "deployed"],
                "criteria": ["anyLocal": true, "repoKeys": ["b", "a"]],
            ],
            "handlers": [
                [
                    "handler_type": "webhook", "url": "https://hooks.example.com/webhooks/main",
                    "use_secret_for_signing": true,
                ]
            ],
        ]
        changes(&json)
        return RemoteSubscription(json: json)!
    }

    static func handler(_ json: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var handlers = json["handlers"] as! [[String: Any]]
        change(&handlers[0])
        json["handlers"] = handlers
    }

    @Test("Order of lists and criteria left out by Artifactory are no difference")
    func sameSubscription() {
        let plan = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [Self.remote()], secrets: ["hooks-deploys": "s1"], keyPrefix: nil,
            prune: false)
        #expect(plan.items.map(\.action) == [.unchanged])
        #expect(!plan.hasChanges && plan.secretsUnreadable)
    }

    @Test("A secret Artifactory gives back is compared and shown only as changed")
    func readableSecret() {
        let differs = Self.remote { json in Self.handler(&json) { $0["secret"] = "old-value-xyz" } }
        let plan = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [differs], secrets: ["hooks-deploys": "new-value-abc"], keyPrefix: nil,
            prune: false)
        #expect(plan.items.map(\.action) == [.update] && plan.items[0].secretChanged && !plan.secretsUnreadable)
        #expect(plan.text.contains("    secret: changed"))
        #expect(!plan.text.contains("old-value-xyz") && !plan.text.contains("new-value-abc"))

        let same = Self.remote { json in Self.handler(&json) { $0["secret"] = "new-value-abc" } }
        let settled = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [same], secrets: ["hooks-deploys": "new-value-abc"], keyPrefix: nil,
            prune: false)
        #expect(settled.items.map(\.action) == [.unchanged] && !settled.secretsUnreadable)

        let masked = Self.remote { json in Self.handler(&json) { $0["secret"] = "****" } }
        let unknown = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [masked], secrets: ["hooks-deploys": "new-value-abc"], keyPrefix: nil,
            prune: false)
        #expect(unknown.items.map(\.action) == [.unchanged] && unknown.secretsUnreadable)
    }

    @Test("Each managed field that differs is listed, with both values")
    func fieldChanges() {
        let drifted = Self.remote { json in
            json["enabled"] = false
            json["event_filter"] = [
                "domain": "artifact", "event_types": ["deployed"],
                "criteria": ["anyLocal": true, "repoKeys": ["a"], "excludePatterns": ["x/**"]],
            ]
            Self.handler(&json) {
                $0["use_secret_for_signing"] = false
                $0["proxy"] = "corp"
            }
        }
        let plan = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [drifted], secrets: [:], keyPrefix: nil, prune: false)
        let changes = plan.items[0].changes.map { "\($0.field): \($0.current) → \($0.wanted)" }
        #expect(
            changes == [
                "enabled: false → true", "event_types: [deployed] → [deployed, copied]",
                "criteria.repos: [a] → [a, b]", "criteria.exclude_patterns: [x/**] → []",
                "use_secret_for_signing: false → true", "proxy: corp → (none)",
            ])
    }

    @Test("Prune deletes only prefixed subscriptions the config lacks; without it they are listed")
    func prune() {
        let remote = [Self.remote(), Self.remote(key: "hooks-old"), Self.remote(key: "manual")]
        let pruning = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: remote, secrets: [:], keyPrefix: "hooks-", prune: true)
        #expect(pruning.items.map(\.key) == ["hooks-deploys", "hooks-old"])
        #expect(pruning.items.map(\.action) == [.unchanged, .delete] && pruning.hasChanges)
        let listing = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: remote, secrets: [:], keyPrefix: "hooks-", prune: false)
        #expect(!listing.hasChanges && listing.strays == ["hooks-old"])
        let created = SubscriptionPlan.make(
            wanted: [Self.wanted], remote: [], secrets: [:], keyPrefix: nil, prune: true)
        #expect(created.items.map(\.action) == [.create])
    }
}

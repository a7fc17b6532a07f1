import ArtifactoryEvents

extension SubscriptionPlan {
    /// The plan as `subscriptions plan` prints it: one line per subscription, then one per changed
    /// field. A secret is only ever "changed" or "set", never shown; every text from Artifactory
    /// or the config has its control characters escaped.
    public var text: String {
        var lines: [String] = []
        for item in items {
            let key = ControlEscaping.escaped(item.key)
            switch item.action {
            case .create:
                lines.append("+ \(key): create")
                if let wanted = item.wanted {
                    lines.append(
                        "    \(wanted.domain.rawValue) [\(wanted.eventTypes.joined(separator: ", "))] → "
                            + ControlEscaping.escaped(wanted.url))
                    lines.append("    secret: set from endpoint \(ControlEscaping.escaped(wanted.endpoint))")
                }
            case .update:
                lines.append("~ \(key): update")
                for change in item.changes {
                    lines.append(
                        "    \(change.field): \(ControlEscaping.escaped(change.current)) → "
                            + ControlEscaping.escaped(change.wanted))
                }
                if item.secretChanged { lines.append("    secret: changed") }
            case .unchanged:
                lines.append("= \(key): unchanged")
            case .delete:
                lines.append("- \(key): delete (not in the config)")
            }
        }
        for stray in strays {
            lines.append("? \(ControlEscaping.escaped(stray)): not in the config; apply --prune deletes it")
        }
        if secretsUnreadable, items.contains(where: { $0.action == .unchanged || $0.action == .update }) {
            lines.append(
                "Artifactory does not give secrets back, so they were not compared; "
                    + "apply --all sends every subscription with its endpoint's current secret.")
        }
        let counts = [Action.create, .update, .delete, .unchanged].map { action in
            items.filter { $0.action == action }.count
        }
        lines.append(
            "\(counts[0]) to create, \(counts[1]) to update, \(counts[2]) to delete, \(counts[3]) unchanged.")
        return lines.joined(separator: "\n") + "\n"
    }
}

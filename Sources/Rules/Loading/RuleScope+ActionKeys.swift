import YAMLDiagnostics

extension RuleScope {
    /// Reports each key of an action item that is neither an action nor a key beside one, with a
    /// did-you-mean, or else with the actions and the keys beside them listed apart.
    func reportUnknownKeys(of node: YAMLNode, actions: [String], targets: [String]) {
        let known = actions + targets
        for entry in node.entries ?? [] where !known.contains(entry.key) {
            var message = "unknown key \"\(entry.key)\""
            if let suggestion = closest(to: entry.key, in: known) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message +=
                    "; actions: \(actions.joined(separator: ", ")); "
                    + "keys beside an action: \(targets.joined(separator: ", "))"
            }
            document.report(message, at: entry.keyNode)
        }
    }
}

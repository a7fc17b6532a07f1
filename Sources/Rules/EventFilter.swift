public import ArtifactoryEvents
public import YAMLDiagnostics

/// A condition block outside any rule, with every form of a rule's `when:`: the config's
/// per-endpoint `accept:`, which stores the events it does not take as ignored, unplanned.
public struct EventFilter: Sendable {
    let condition: Condition

    /// Reads `node` as a condition block, reporting each problem to `document` at its line;
    /// `nil` when it has an error. No `on:` limits the kinds, so no field is reported as one the
    /// events never carry: an event without the field fails a positive test, as in a rule.
    public init?(_ node: YAMLNode, keyPath: String, in document: YAMLDocument) {
        let errorsBefore = document.diagnostics.count { $0.severity == .error }
        let condition = RuleScope(document: document, selectors: []).readCondition(node, keyPath: keyPath)
        guard document.diagnostics.count(where: { $0.severity == .error }) == errorsBefore else { return nil }
        self.condition = condition
    }

    /// Why `event` does not meet the filter, naming the first condition that fails
    /// (`accept.origin: "https://staging" is not "https://prod"`); `nil` when it does.
    public func rejection(of event: WebhookEvent) -> String? {
        let view = EventView(event)
        return condition.holds(for: view) ? nil : condition.failure(for: view)
    }
}

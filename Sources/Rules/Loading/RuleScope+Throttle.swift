import YAMLDiagnostics

extension RuleScope {
    /// The keys of a throttle, beside a rule's keys or an action's.
    static var throttleKeys: [String] { RuleFileSchema.throttleKeys.map(\.name) }

    /// Reads `once_within:` and `key:` among the entries of `node` (a rule, or an item of `do:`);
    /// `nil` when there is no `once_within:` or it is wrong (reported). `key:` without
    /// `once_within:` is an error.
    func readThrottle(_ node: YAMLNode) -> Throttle? {
        let entries = node.entries ?? []
        let windowEntry = entries.first { $0.key == "once_within" }
        let keyEntry = entries.first { $0.key == "key" }
        guard let windowEntry else {
            if let keyEntry {
                document.report(
                    "a throttle key needs once_within: beside it (such as once_within: 10m); add it or remove key:",
                    at: keyEntry.keyNode)
            }
            return nil
        }
        let key = keyEntry.flatMap { readTemplate($0.value, what: "a throttle key") }
        guard let text = windowEntry.value.scalar, !windowEntry.value.isNull,
            let window = Throttle.parseWindow(text)
        else {
            let shown = windowEntry.value.scalar.map { "\"\($0)\"" } ?? windowEntry.value.typeName
            document.report(
                "expected a duration from 1s to 366d, a whole number and a unit (30s, 10m, 2h, 1d); found \(shown)",
                at: windowEntry.value)
            return nil
        }
        if keyEntry != nil, key == nil { return nil }
        return Throttle(window: window, key: key)
    }
}

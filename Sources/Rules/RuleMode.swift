import YAMLDiagnostics

/// Whether a rule's planned calls are sent (`live`) or only recorded (`shadow`).
///
/// A rule's `mode:` wins; a rule without one takes the daemon config's `rules.mode`
/// (``PlanContext/defaultMode``), which defaults to `live`. A shadow rule plans exactly what it would
/// send and the store keeps each call as a job in state `shadow`, which is never leased, retried or
/// sent, also after the rule is switched to `live`.
public enum RuleMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The rule's calls are sent.
    case live
    /// The rule's calls are planned and recorded, never sent.
    case shadow

    public var description: String { rawValue }

    /// The mode `text` names, exactly (`live` or `shadow`), or `nil`.
    public init?(parsing text: String) {
        self.init(rawValue: text)
    }

    /// What is wrong with `text` that is not a mode, with a did-you-mean when one is close:
    /// `"shadw" is not a mode; did you mean "shadow"? (use live or shadow)`.
    public static func problem(_ text: String) -> String {
        let names = allCases.map(\.rawValue)
        var message = "\"\(text)\" is not a mode"
        if let suggestion = closest(to: text, in: names) { message += "; did you mean \"\(suggestion)\"?" }
        return message + " (use \(names.joined(separator: " or ")))"
    }
}

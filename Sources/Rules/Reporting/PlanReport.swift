public import ArtifactoryEvents
import ArtifactoryRequests

/// The text `rules test` prints: the event, the rules that matched (with `--explain`, every rule
/// and why it did not match), then each planned request exactly as it would be sent, a shadow
/// rule's marked `[shadow]` (the daemon records them and never sends them).
public struct PlanReport: Sendable {
    /// The event tested.
    public var event: WebhookEvent
    /// Its plan.
    public var plan: Plan
    /// Every rule's explanation; only matched rules are listed unless ``explain`` is set.
    public var explanations: [RuleExplanation]
    /// Whether rules that did not match are listed with the reason (`--explain`).
    public var explain: Bool
    /// The Artifactory base URL the request paths are shown against.
    public var baseURL: String
    /// The JFrog Platform's base URL `platform:` calls are shown against; default: ``baseURL``
    /// without its final `/artifactory` (``ArtifactoryRequest/Base/platformURL(fromArtifactoryURL:)``).
    public var platformURL: String
    /// How an `http:` call goes out, from the config's targets (`rules test --config`): its URL
    /// and every header in the order sent, credentials and signatures masked; `nil` for a target
    /// the config does not have. Without it, calls show their target's name and the rule's headers.
    public var targetPreview: (@Sendable (ArtifactoryRequest) -> TargetPreview?)?

    /// An `http:` call as its target's client sends it.
    public struct TargetPreview: Sendable {
        public var url: String
        public var headers: [(name: String, value: String)]

        public init(url: String, headers: [(name: String, value: String)]) {
            self.url = url
            self.headers = headers
        }
    }

    public init(
        event: WebhookEvent, plan: Plan, explanations: [RuleExplanation], explain: Bool, baseURL: String,
        platformURL: String? = nil
    ) {
        self.event = event
        self.plan = plan
        self.explanations = explanations
        self.explain = explain
        self.baseURL = baseURL
        self.platformURL = platformURL ?? ArtifactoryRequest.Base.platformURL(fromArtifactoryURL: baseURL)
    }

    /// The report, one item per line, ending with a newline. What the event brought is shown with
    /// its control characters escaped (``ControlEscaping``), so it cannot recolour the terminal
    /// or break a line.
    public var text: String {
        func shown(_ text: String) -> String { ControlEscaping.escaped(text) }
        var lines: [String] = []
        let subject = event.subject.key
        lines.append("event: \(shown(event.kind.description))" + (subject.isEmpty ? "" : " \(shown(subject))"))
        if plan.stoppedByHopLimit { lines.append("loop guard: hop limit reached; no rule was tried") }
        lines.append("rules: \(plan.matchedRules.count) of \(explanations.count) matched")
        for explanation in explanations where explain || explanation.matched {
            lines.append("  \(shown(explanation.description))")
        }
        for rule in plan.skippedSelfCaused where !explain {
            lines.append("  skipped  \(rule): the event is self-caused and the rule has no on_self_caused: true")
        }
        let shadowCount = plan.actions.count { $0.mode == .shadow }
        lines.append(
            "requests: \(plan.actions.count) (nothing sent"
                + (shadowCount == 0
                    ? ")" : "; \(shadowCount) in shadow mode: the daemon records them, never sends them)"))
        for (number, action) in plan.actions.enumerated() {
            let childKinds = action.expansion?.childKinds.map(\.rawValue).joined(separator: ", ")
            let kind = childKinds.map { "for_each \($0)" } ?? "\(action.kind)"
            lines.append(
                "  \(number + 1). \(action.rule) do[\(action.actionIndex)] \(kind) \(shown(action.subject))"
                    + (action.mode == .shadow ? " [shadow]" : ""))
            if let requirement = action.requirement {
                lines.append("     only if, just before the call: \(shown(requirement.description))")
            }
            if let throttle = action.throttle {
                lines.append(
                    "     throttled: \(shown(throttle.description)) (the store decides when the event arrives: "
                        + "sent only if no event with this key opened the window)")
            }
            if let expansion = action.expansion {
                let limit = expansion.maxItems.map(String.init) ?? "worker.max_fanout_items"
                lines.append(
                    "     expansion job: runs this query, then for each item found: \(childKinds ?? "") (max_items: \(limit))"
                )
            }
            if action.request.base == .target {
                lines += targetLines(action.request)
                continue
            }
            let platform = action.request.base == .platform
            let url = action.request.url(baseURL: platform ? platformURL : baseURL)
            lines.append("     \(action.request.method) \(shown(url))" + (platform ? "  (platform base)" : ""))
            if let body = action.request.body {
                lines.append("     Content-Type: \(action.request.contentType ?? "application/json")")
                lines.append("     \(ControlEscaping.escaped(body, escapingBackslash: false))")
            }
        }
        if !plan.failures.isEmpty {
            lines.append("failures: \(plan.failures.count)")
            for failure in plan.failures { lines.append("  \(shown(failure.description)) (\(failure.code.rawValue))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An `http:` call: method and URL, headers, body.
    private func targetLines(_ request: ArtifactoryRequest) -> [String] {
        func shown(_ text: String) -> String { ControlEscaping.escaped(text) }
        let name = request.target ?? ""
        var lines: [String] = []
        if let previewer = targetPreview {
            guard let preview = previewer(request) else {
                return [
                    "     \(request.method) target:\(shown(name))/\(shown(request.pathAndQuery))"
                        + "  (the config has no target \(shown(name)))"
                ]
            }
            lines.append("     \(request.method) \(shown(preview.url))  (target \(shown(name)))")
            for header in preview.headers { lines.append("     \(header.name): \(shown(header.value))") }
        } else {
            lines.append(
                "     \(request.method) target:\(shown(name))/\(shown(request.pathAndQuery))"
                    + "  (URL, credential and signature from the config's target; give --config to see them)")
            for header in request.headers { lines.append("     \(header.name): \(shown(header.value))") }
            if request.body != nil { lines.append("     Content-Type: \(request.contentType ?? "application/json")") }
        }
        if let body = request.body { lines.append("     \(ControlEscaping.escaped(body, escapingBackslash: false))") }
        return lines
    }
}

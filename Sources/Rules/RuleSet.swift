public import ArtifactoryEvents
public import YAMLDiagnostics

/// Every rule of a rule directory, compiled once and indexed: an immutable value the daemon swaps
/// atomically on reload, so each event is planned against one complete set.
///
/// Planning is pure (no I/O) and fast: rules are indexed by event kind and, where a rule names
/// literal repositories, by repository, so an event only meets the rules that can match it.
public struct RuleSet: Sendable {
    /// Every rule (enabled or not), in file name order, then order within the file.
    public let rules: [Rule]
    /// The files read, in order.
    public let files: [String]
    /// Warnings found while loading (errors make loading fail).
    public let warnings: [Diagnostic]
    private let index: RuleIndex
    /// Every rule's `when:` compiled for planning, by rule position.
    private let conditions: ConditionProgram

    /// A set with no rules: plans nothing.
    public static let empty = RuleSet(rules: [], files: [], warnings: [])

    init(rules: [Rule], files: [String], warnings: [Diagnostic]) {
        self.rules = rules
        self.files = files
        self.warnings = warnings
        self.index = RuleIndex(rules)
        self.conditions = ConditionProgram(rules.map(\.condition))
    }

    /// The number of enabled rules.
    public var enabledCount: Int { rules.count { $0.enabled } }

    /// Loads every `*.yml` / `*.yaml` file in `directory`.
    ///
    /// - Throws: ``RulesError`` with code `unreadable_directory`, or `invalid_rules` carrying every
    ///   diagnostic (errors and warnings) of every file when any file has an error.
    public static func load(directory: String) throws(RulesError) -> RuleSet {
        let (sources, problems) = try RuleSource.read(directory: directory)
        return try compile(sources, problems: problems, directory: directory)
    }

    /// Compiles rule files given as text (tests, `rules check`).
    ///
    /// - Throws: ``RulesError`` `invalid_rules` with every diagnostic when any file has an error.
    public static func compile(_ sources: [RuleSource]) throws(RulesError) -> RuleSet {
        try compile(sources, problems: [], directory: nil)
    }

    private static func compile(_ sources: [RuleSource], problems: [Diagnostic], directory: String?)
        throws(RulesError) -> RuleSet
    {
        let outcome = RuleSetCompiler.compile(sources)
        let diagnostics = problems + outcome.diagnostics
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            let errors = diagnostics.count { $0.severity == .error }
            throw RulesError(
                .invalidRules, "\(errors) error(s) in the rules\(directory.map { " in \($0)" } ?? "")",
                file: directory, diagnostics: diagnostics)
        }
        return RuleSet(rules: outcome.rules, files: sources.map(\.file), warnings: diagnostics)
    }

    /// Plans `event`: the rules that match it, the calls they make, the actions that cannot be
    /// planned. Pure; the same event, rules and context always give the same plan.
    public func plan(_ event: WebhookEvent, context: PlanContext) -> Plan {
        plan(event, matching: context.stoppedByHopLimit ? .none : matching(event), context: context)
    }

    /// The rules that take `event` (kind, repository, `when:`), in rule order. Pure, and reads
    /// nothing but the event.
    public func matching(_ event: WebhookEvent) -> RuleMatch {
        let view = EventView(event)
        var memo = conditions.makeMemo()
        var positions: [Int] = []
        for position in index.candidates(kind: event.kind, repo: view.repo)
        where conditions.holds(position, for: view, memo: &memo) {
            positions.append(position)
        }
        return RuleMatch(positions: positions)
    }

    /// Plans `event` with the rules `match` found for it (``matching(_:)`` of this rule set): the
    /// same plan as ``plan(_:context:)``.
    public func plan(_ event: WebhookEvent, matching match: RuleMatch, context: PlanContext) -> Plan {
        var plan = Plan()
        guard !context.stoppedByHopLimit else {
            plan.stoppedByHopLimit = true
            return plan
        }
        let planning = PlanningEvent(
            event: event, eventID: context.eventID, now: context.now, defaultProject: context.defaultProject)
        for position in match.positions {
            let rule = rules[position]
            if context.selfCaused, !rule.onSelfCaused {
                plan.skippedSelfCaused.append(rule.name)
                continue
            }
            plan.matchedRules.append(rule.name)
            var render = RenderContext(planning: planning, rule: rule.name)
            if rule.usesCaptures { rule.condition.captures(for: planning.view, into: &render.captures) }
            let mode = rule.mode(default: context.defaultMode)
            // Rendered once for all the rule's actions; a key that cannot render fails each of them.
            var ruleThrottle: Result<ThrottleClaim, RulesError>?
            if let throttle = rule.throttle {
                do {
                    ruleThrottle = .success(try throttle.claim(scope: rule.name, context: render))
                } catch {
                    ruleThrottle = .failure(error)
                }
            }
            // All or nothing: the rule's actions are appended as planned and taken back if one fails.
            let firstAction = plan.actions.count
            var failed = false
            for (actionIndex, action) in rule.actions.enumerated() {
                do throws(RulesError) {
                    let planned = try action.plan(index: actionIndex, context: render)
                    var claim: ThrottleClaim?
                    if let throttle = action.throttle {
                        claim = try throttle.claim(scope: "\(rule.name)#\(actionIndex)", context: render)
                    } else if case .failure(let error) = ruleThrottle {
                        throw error
                    } else if case .success(let ruleClaim) = ruleThrottle {
                        claim = ruleClaim
                    }
                    guard !failed else { continue }
                    // Moved, not copied: the optimizer does not always see that this is the last use.
                    plan.actions.append(consume planned)
                    // Set in place: copying a planned action costs more than planning needs.
                    if mode != .live { plan.actions[plan.actions.count - 1].mode = mode }
                    if let claim { plan.actions[plan.actions.count - 1].throttle = claim }
                } catch {
                    failed = true
                    plan.failures.append(
                        Plan.Failure(
                            rule: rule.name, actionIndex: actionIndex, kind: action.kind, code: error.code,
                            message: error.message))
                }
            }
            if failed { plan.actions.removeSubrange(firstAction...) }
        }
        return plan
    }

    /// Explains every rule against `event`, in rule order, without the index: whether it matched
    /// and, if not, the first thing that stopped it.
    public func explain(_ event: WebhookEvent, context: PlanContext) -> [RuleExplanation] {
        let view = EventView(event)
        return rules.map { rule in
            let location = "\(rule.file):\(rule.line)"
            func outcome(_ outcome: RuleExplanation.Outcome, _ reason: String?) -> RuleExplanation {
                RuleExplanation(
                    rule: rule.name, location: location, outcome: outcome, reason: reason,
                    mode: rule.mode(default: context.defaultMode))
            }
            if context.stoppedByHopLimit {
                return outcome(
                    .hopLimit, "the event is self-caused at hop \(context.hop); the hop limit is \(context.hopLimit)")
            }
            guard rule.enabled else { return outcome(.disabled, "enabled: false") }
            guard rule.selects(event.kind) else {
                let selectors = rule.selectors.map(\.description).joined(separator: ", ")
                return outcome(.otherKind, "on: [\(selectors)] does not take \(event.kind)")
            }
            if let failure = rule.condition.failure(for: view) { return outcome(.conditionFailed, failure) }
            if context.selfCaused, !rule.onSelfCaused {
                return outcome(.selfCaused, "the event is self-caused and the rule has no on_self_caused: true")
            }
            return outcome(.matched, nil)
        }
    }
}

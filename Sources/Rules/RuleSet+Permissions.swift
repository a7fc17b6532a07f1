/// A permission one of a rule's actions needs on Artifactory, and the repositories it needs it on,
/// as far as the rule file tells them: what `doctor` compares with the token's permission targets.
public struct RequiredPermission: Sendable, Hashable {
    /// Artifactory's repository actions, named as permission targets name them.
    public enum Action: String, Sendable, Hashable, CaseIterable, Comparable {
        case read
        case annotate
        /// Deploy/Cache; permission targets (v2) call it `write`.
        case write
        case delete

        public static func < (lhs: Action, rhs: Action) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Where the action is needed.
    public enum Scope: Sendable, Hashable, CustomStringConvertible {
        /// A repository key the rule names literally.
        case repository(String)
        /// Repositories whose key starts with this text (a `repo:` glob such as `libs-*`).
        case prefix(String)
        /// Any repository the rule's events come from (no literal key in the rule).
        case any

        public var description: String {
            switch self {
            case .repository(let key): key
            case .prefix(let prefix): prefix + "*"
            case .any: "any repository"
            }
        }
    }

    /// The rule's name, file and line.
    public var rule: String
    public var file: String
    public var line: Int
    public var action: Action
    public var scope: Scope

    public init(rule: String, file: String, line: Int, action: Action, scope: Scope) {
        self.rule = rule
        self.file = file
        self.line = line
        self.action = action
        self.scope = scope
    }
}

extension RuleSet {
    /// What the enabled rules' item actions need: `annotate` for property actions, `read` and
    /// `write` for `copy`, `delete` and `write` for `move`, `delete` for `delete`, `write` on the
    /// target repository of `promote_build`, and `read` for every rule that acts on items. The
    /// repository is the action's own `repo:` (or the destination of `copy`/`move`) when written
    /// literally, else the rule's literal `repo:` condition, else ``RequiredPermission/Scope/any``.
    /// Calls the rules spell out (`artifactory:`, `platform:`, `http:`) are not judged. Each
    /// (rule, action, scope) once, in rule order.
    public var requiredPermissions: [RequiredPermission] {
        var result: [RequiredPermission] = []
        var seen: Set<RequiredPermission> = []
        for rule in rules where rule.enabled {
            let eventScopes = Self.scopes(of: rule.condition.repoKeys)
            func need(_ action: RequiredPermission.Action, _ scopes: [RequiredPermission.Scope]) {
                for scope in scopes {
                    let permission = RequiredPermission(
                        rule: rule.name, file: rule.file, line: rule.line, action: action, scope: scope)
                    if seen.insert(permission).inserted { result.append(permission) }
                }
            }
            for action in rule.actions.flatMap(Self.itemActions) {
                let source =
                    Self.literalRepository(action.target.repo).map { [RequiredPermission.Scope.repository($0)] }
                    ?? eventScopes
                switch action.operation {
                case .setProperties, .deleteProperties:
                    need(.read, source)
                    need(.annotate, source)
                case .copy(let transfer):
                    need(.read, source)
                    need(.write, Self.destination(transfer.to))
                case .move(let transfer):
                    need(.read, source)
                    need(.delete, source)
                    need(.write, Self.destination(transfer.to))
                case .delete:
                    need(.read, source)
                    need(.delete, source)
                case .promoteBuild(_, let promotion):
                    if let target = Self.literalRepository(promotion.targetRepo) { need(.write, [.repository(target)]) }
                case .call, .forEach:
                    break
                }
            }
        }
        return result
    }

    /// The action itself, or a `for_each`'s item actions.
    private static func itemActions(_ action: ActionSpec) -> [ActionSpec] {
        if case .forEach(let forEach) = action.operation { return forEach.actions }
        return [action]
    }

    private static func scopes(of keys: [ValueMatcher.IndexKey]?) -> [RequiredPermission.Scope] {
        guard let keys, !keys.isEmpty else { return [.any] }
        return keys.map { key in
            switch key {
            case .exact(let repo): .repository(repo)
            case .prefix(let prefix): .prefix(prefix)
            }
        }
    }

    /// The template's text when it has no expression.
    private static func literalRepository(_ template: Template?) -> String? {
        guard let template, !template.parts.isEmpty else { return nil }
        var text = ""
        for part in template.parts {
            guard case .literal(let literal) = part else { return nil }
            text += literal
        }
        return text
    }

    /// The repository of a `to: REPO/PATH` whose repository part is literal.
    private static func destination(_ template: Template) -> [RequiredPermission.Scope] {
        guard case .literal(let first)? = template.parts.first,
            let slash = first.firstIndex(of: "/"), slash != first.startIndex
        else {
            if let whole = literalRepository(template), !whole.isEmpty { return [.repository(whole)] }
            return [.any]
        }
        return [.repository(String(first[..<slash]))]
    }
}

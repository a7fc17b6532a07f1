import ArtifactoryRequests

/// One compiled entry of a rule's `do:` list.
struct ActionSpec: Sendable {
    /// Which item an artifact action acts on: the event's own unless the action names another.
    struct ArtifactTarget: Sendable {
        /// `repo:` beside the action; `nil`: the event's `repo_key`.
        var repo: Template?
        /// `path:` beside the action; `nil`: the event's `path`.
        var path: Template?
    }

    /// Which build run `promote_build` acts on: the event's own unless the action names another.
    struct BuildTarget: Sendable {
        /// `build_name:` beside the action; `nil`: the event's `build_name`.
        var name: Template?
        /// `build_number:` beside the action; `nil`: the event's `build_number`.
        var number: Template?
    }

    /// A property to set: its key (literal) and one or more values.
    struct Property: Sendable {
        var key: String
        var values: [Template]
    }

    /// `copy:` and `move:` options (JFrog's Copy Item / Move Item query parameters).
    struct Transfer: Sendable {
        /// `to`: `REPO/PATH` of the destination.
        var to: Template
        /// `dry_run` → `dry=1`.
        var dryRun: Bool?
        /// `suppress_layouts` → `suppressLayouts=0|1`; Artifactory's default is 1.
        var suppressLayouts: Bool?
        /// `fail_fast` → `failFast=0|1`.
        var failFast: Bool?
    }

    /// `promote_build:` options (JFrog's Build Promotion request body).
    struct Promotion: Sendable {
        var status: Template?
        var comment: Template?
        /// `ci_user`; default ``Promotion/defaultCIUser``.
        var ciUser: Template?
        var dryRun: Bool?
        var sourceRepo: Template?
        var targetRepo: Template?
        var copy: Bool?
        var artifacts: Bool?
        var dependencies: Bool?
        var scopes: [Template]?
        var properties: [Property]?
        var failFast: Bool?
        /// `project` → `?project=KEY`.
        var project: Template?

        /// The `ciUser` sent when the rule gives none.
        static let defaultCIUser = "artifactory-hooks"
    }

    enum Operation: Sendable {
        case setProperties([Property], recursive: Bool)
        case deleteProperties([String], recursive: Bool)
        case promoteBuild(BuildTarget, Promotion)
        case copy(Transfer)
        case move(Transfer)
        case delete
        /// `artifactory:` or `platform:`.
        case call(GenericCall)
        /// `for_each:`: item actions run once per item a query finds.
        case forEach(ForEach)
    }

    /// `for_each:` with one item action beside it, or with a block of them under `do:`: the query
    /// whose items the actions run for.
    struct ForEach: Sendable {
        enum Source: Sendable {
            /// `build_artifacts`: the build run's artifacts (`build_name:`/`build_number:` beside
            /// it, else the event's).
            case buildArtifacts(BuildTarget)
            /// `{aql: 'items.find(…)…'}`: values rendered into it are JSON-string-escaped.
            case aql(Template)
            /// `{children: true}`: the files under the event's folder, at any depth.
            case children
        }

        var source: Source
        /// `max_items:`; `nil`: the worker's `worker.max_fanout_items`.
        var maxItems: Int?
        /// The item actions run for each item, in order; never empty, none a `for_each` itself.
        var actions: [ActionSpec]
    }

    let operation: Operation
    /// Unused by `promote_build`, `artifactory`, `platform` and `for_each`.
    let target: ArtifactTarget
    /// What the action plans: a `for_each` of one action takes that action's kind, a block of
    /// several ``PlannedAction/Kind/forEach``. Kept, not derived, because every planned action
    /// reads it.
    let kind: PlannedAction.Kind
    /// `require:` (the action's own, and the rule's): checked by the worker just before the call.
    var requirement: GuardCondition?
    /// `once_within:` and `key:` beside the action: its own window, apart from the rule's other
    /// actions.
    var throttle: Throttle?

    init(operation: Operation, target: ArtifactTarget) {
        self.operation = operation
        self.target = target
        kind =
            switch operation {
            case .setProperties: .setProperties
            case .deleteProperties: .deleteProperties
            case .promoteBuild: .promoteBuild
            case .copy: .copy
            case .move: .move
            case .delete: .delete
            case .call(let call):
                switch call.base {
                case .artifactory: .artifactory
                case .platform: .platform
                case .target: .http
                }
            case .forEach(let forEach): forEach.actions.count == 1 ? forEach.actions[0].kind : .forEach
            }
    }

    /// Every template the action renders (a `for_each`'s query and its actions' templates
    /// included), for what the rule needs to know before planning, such as its captures.
    var templates: [Template] {
        var all = [target.repo, target.path].compactMap { $0 }
        switch operation {
        case .setProperties(let properties, _): all += properties.flatMap(\.values)
        case .deleteProperties, .delete: break
        case .promoteBuild(let build, let promotion):
            all += [build.name, build.number].compactMap { $0 }
            all += [
                promotion.status, promotion.comment, promotion.ciUser, promotion.sourceRepo, promotion.targetRepo,
                promotion.project,
            ].compactMap { $0 }
            all += (promotion.scopes ?? []) + (promotion.properties ?? []).flatMap(\.values)
        case .copy(let transfer), .move(let transfer): all.append(transfer.to)
        case .call(let call): all += call.templates
        case .forEach(let forEach):
            switch forEach.source {
            case .buildArtifacts(let build): all += [build.name, build.number].compactMap { $0 }
            case .aql(let query): all.append(query)
            case .children: break
            }
            all += forEach.actions.flatMap(\.templates)
        }
        return all
    }
}

import ArtifactoryEvents
import ArtifactoryRequests

extension ActionSpec {
    /// The action's call for the event in `context` (``planCall(index:context:)``) with its guard,
    /// when it has one, resolved to the item and build run it reads.
    func plan(index: Int, context: RenderContext) throws(RulesError) -> PlannedAction {
        var planned = try planCall(index: index, context: context)
        if let requirement { planned.requirement = try resolveGuard(requirement, context: context) }
        return planned
    }

    /// `requirement` with its item (the one the action acts on) and build run (`promote_build`'s,
    /// else the event's) resolved, each only when the guard reads it.
    private func resolveGuard(_ requirement: GuardCondition, context: RenderContext) throws(RulesError)
        -> ActionGuard
    {
        let fields = requirement.fields
        var item: ItemLocation?
        if fields.contains(where: \.isItemField) { item = try resolveItem(context).location }
        var build: ActionGuard.BuildRun?
        if fields.contains(.buildStatus) {
            var target = BuildTarget()
            switch operation {
            case .promoteBuild(let named, _): target = named
            case .forEach(let forEach):
                if case .buildArtifacts(let named) = forEach.source { target = named }
            default: break
            }
            build = ActionGuard.BuildRun(
                name: try Self.buildPart(target.name, context.event.build?.buildName, "build_name", context),
                number: try Self.buildPart(target.number, context.event.build?.buildNumber, "build_number", context))
        }
        return ActionGuard(condition: requirement, item: item, build: build)
    }
}

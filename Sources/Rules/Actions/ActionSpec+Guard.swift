import ArtifactoryEvents
import ArtifactoryRequests

extension ActionSpec {
    /// The action's guard with its item (the one the action acts on) and build run
    /// (`promote_build`'s, else the event's) resolved, each only when the guard reads it; `nil`
    /// for an unguarded action.
    func resolvedGuard(_ context: RenderContext) throws(RulesError) -> ActionGuard? {
        guard let requirement else { return nil }
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

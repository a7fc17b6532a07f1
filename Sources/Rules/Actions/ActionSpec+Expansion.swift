import ArtifactoryEvents
import ArtifactoryRequests

extension ActionSpec {
    /// The expansion job of a `for_each` action: the query, rendered (each value JSON-string-escaped
    /// where it stands), sent as `POST api/search/aql` (JFrog's Artifactory Query Language API),
    /// and the actions with everything but their `item.*` fields rendered, kept in the job.
    func planExpansion(
        _ forEach: ForEach, index: Int, context: RenderContext, requirement: ActionGuard?
    ) throws(RulesError) -> PlannedAction {
        let query: String
        let subject: String
        func quoted(_ value: String) -> String { "\"" + AQLText.escapedInString(value) + "\"" }
        switch forEach.source {
        case .buildArtifacts(let build):
            let name = try Self.buildPart(build.name, context.event.build?.buildName, "build_name", context).text
            let number = try Self.buildPart(build.number, context.event.build?.buildNumber, "build_number", context)
                .text
            // The build relation of JFrog's AQL (items → artifact → module → build): a build's
            // artifacts by its name and number, whichever project's build-info repository holds it.
            query =
                "items.find({\"artifact.module.build.name\":{\"$eq\":\(quoted(name))},"
                + "\"artifact.module.build.number\":{\"$eq\":\(quoted(number))}})"
            subject = "build:" + name + "#" + number
        case .aql(let template):
            query = try template.render(context, escaping: AQLText.escapedInString)
            subject = "for_each:event#" + context.planning.eventIDText
        case .children:
            guard let repoText = context.event.item?.repoKey, let pathText = context.event.item?.path else {
                throw RulesError(
                    .missingTarget, "\(context.event.kind) events name no folder for for_each: {children: true}",
                    rule: context.rule)
            }
            let repo = try Self.repositoryKey(repoText, role: "repo", context)
            let path = try Self.parse(pathText, role: "path", context)
            let folder = path.text
            // AQL's $match treats * and ? as wildcards, which would widen the query past the folder.
            if folder.contains(where: { $0 == "*" || $0 == "?" }) {
                throw RulesError(
                    .badPath, "the folder \"\(folder)\" contains * or ?, which AQL would read as wildcards",
                    rule: context.rule)
            }
            var criteria = "{\"repo\":{\"$eq\":\(quoted(repo.text))}"
            if !folder.isEmpty {
                criteria +=
                    ",\"$or\":[{\"path\":{\"$eq\":\(quoted(folder))}},{\"path\":{\"$match\":\(quoted(folder + "/*"))}}]"
            }
            query = "items.find(" + criteria + "})"
            subject = "artifact:" + repo.text + (folder.isEmpty ? "" : "/" + folder)
        }
        do {
            _ = try AQLText(query)
        } catch {
            throw RulesError(.badTemplate, "the rendered query is not usable: \(error)", rule: context.rule)
        }
        var children: [ChildAction] = []
        for action in forEach.actions { children.append(try ChildAction(action, context: context)) }
        return PlannedAction(
            rule: context.rule, actionIndex: index, kind: kind, subject: subject, request: .aql(query),
            expansion: PlannedAction.Expansion(maxItems: forEach.maxItems, actions: children),
            requirement: requirement)
    }
}

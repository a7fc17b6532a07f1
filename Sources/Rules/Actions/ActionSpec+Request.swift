import ArtifactoryEvents
import ArtifactoryRequests
import Foundation

extension ActionSpec {
    /// The exact request this action makes for the event in `context` (see JFrog's REST API pages
    /// Set Item Properties, Delete Item Properties, Build Promotion, Copy Item, Move Item and
    /// Delete Item), with its guard resolved when it has one.
    func plan(index: Int, context: RenderContext) throws(RulesError) -> PlannedAction {
        let requirement = try resolvedGuard(context)
        func action(_ subject: String, _ request: ArtifactoryRequest, effects: [ExpectedEffect]) -> PlannedAction {
            PlannedAction(
                rule: context.rule, actionIndex: index, kind: kind, subject: subject, request: request,
                effects: effects, requirement: requirement)
        }
        switch operation {
        case .setProperties(let properties, let recursive):
            let item = try resolveItem(context)
            let request = try ArtifactoryRequest.setProperties(on: item.location, recursive: recursive) {
                (writer: inout PropertyWriter) throws(RulesError) in
                for property in properties {
                    writer.key(property.key)
                    for value in property.values { writer.value(try value.render(context)) }
                }
            }
            let effects = properties.map {
                ExpectedEffect(subject: item.subject, kind: "artifact_property.added", detail: $0.key)
            }
            return action(item.subject, request, effects: effects)
        case .deleteProperties(let keys, let recursive):
            let item = try resolveItem(context)
            let effects = keys.map {
                ExpectedEffect(subject: item.subject, kind: "artifact_property.deleted", detail: $0)
            }
            return action(
                item.subject, .deleteProperties(on: item.location, keys: keys, recursive: recursive), effects: effects)
        case .promoteBuild(let build, let promotion):
            return try planPromotion(build, promotion, context: context, action: action)
        case .copy(let transfer), .move(let transfer):
            let item = try resolveItem(context)
            let target = try Self.destination(transfer.to, context)
            let options = TransferOptions(
                dryRun: transfer.dryRun == true, suppressLayouts: transfer.suppressLayouts,
                failFast: transfer.failFast)
            let request: ArtifactoryRequest =
                kind == .copy
                ? .copy(item.location, to: target.location, options: options)
                : .move(item.location, to: target.location, options: options)
            let event = kind == .copy ? "artifact.copied" : "artifact.moved"
            var effects = [
                ExpectedEffect(subject: item.subject, kind: event),
                ExpectedEffect(subject: target.subject, kind: event),
                ExpectedEffect(subject: target.subject, kind: "artifact.deployed"),
            ]
            if kind == .move { effects.append(ExpectedEffect(subject: item.subject, kind: "artifact.deleted")) }
            return action(item.subject, request, effects: effects)
        case .delete:
            let item = try resolveItem(context)
            return action(
                item.subject, .delete(item.location),
                effects: [ExpectedEffect(subject: item.subject, kind: "artifact.deleted")])
        case .call(let call):
            // The daemon cannot know what a spelled-out call changes: it expects no event from it,
            // and orders it with the event's other jobs.
            let key = context.event.subject.key
            let subject = key.isEmpty ? "event:" + context.planning.eventIDText : key
            // A target's calls keep their own order, apart from the Artifactory calls of the subject.
            let ordering = call.target.map { "target:\($0.name)|\(subject)" } ?? subject
            return action(ordering, try call.request(context), effects: [])
        case .forEach(let forEach):
            return try planExpansion(forEach, index: index, context: context, requirement: requirement)
        }
    }

    /// The item the action acts on. An action that names neither `repo:` nor `path:` acts on the
    /// event's own item, which every such action of every rule shares: it is resolved once per plan.
    func resolveItem(_ context: RenderContext) throws(RulesError) -> ResolvedItem {
        guard target.repo == nil, target.path == nil else { return try resolveItemAfresh(context) }
        if let item = context.planning.ownItem { return item }
        let item = try resolveItemAfresh(context)
        context.planning.ownItem = item
        return item
    }

    private func resolveItemAfresh(_ context: RenderContext) throws(RulesError) -> ResolvedItem {
        let repo: String
        if let template = target.repo {
            repo = try template.render(context)
        } else if let found = context.item {
            repo = found.repo
        } else if let eventRepo = context.event.item?.repoKey {
            repo = eventRepo
        } else {
            throw RulesError(
                .missingTarget, "\(context.event.kind) events name no repository; give the action a repo:",
                rule: context.rule)
        }
        let path: String
        if let template = target.path {
            path = try template.render(context)
        } else if let found = context.item {
            path = found.path
        } else if let eventPath = context.event.item?.path {
            path = eventPath
        } else {
            throw RulesError(
                .missingTarget, "\(context.event.kind) events name no item path; give the action a path:",
                rule: context.rule)
        }
        let parsed = try Self.parse(path, role: "path", context)
        guard parsed.segmentCount > 0 else {
            throw RulesError(
                .badPath, "the path is empty; an action never targets a whole repository", rule: context.rule)
        }
        let key = try Self.repositoryKey(repo, role: "repo", context)
        return ResolvedItem(ItemLocation(repo: key, path: parsed))
    }

    /// The rendered and checked `to:`. A template that does not depend on the rule renders the same for
    /// every rule, so its destination is computed once per plan.
    private static func destination(_ template: Template, _ context: RenderContext) throws(RulesError)
        -> ResolvedItem
    {
        let shared = !template.dependsOnRule
        if shared, let known = context.planning.destination(source: template.source) { return known }
        let path = try Self.parse(try template.render(context), role: "to", context)
        guard path.segmentCount > 0 else {
            throw RulesError(.badPath, "to: is empty; it must start with the target repository", rule: context.rule)
        }
        let location: ItemLocation
        do {
            location = try ItemLocation(repositoryPath: path)
        } catch {
            throw Self.refusal(error, role: "to", context)
        }
        let destination = ResolvedItem(location)
        if shared { context.planning.remember(destination, source: template.source) }
        return destination
    }

    private func planPromotion(
        _ build: BuildTarget, _ promotion: Promotion, context: RenderContext,
        action: (String, ArtifactoryRequest, [ExpectedEffect]) -> PlannedAction
    ) throws(RulesError) -> PlannedAction {
        let name = try Self.buildPart(build.name, context.event.build?.buildName, "build_name", context)
        let number = try Self.buildPart(build.number, context.event.build?.buildNumber, "build_number", context)
        var body = JSONObjectWriter()
        if let status = promotion.status { body.string("status", try status.render(context)) }
        if let comment = promotion.comment { body.string("comment", try comment.render(context)) }
        body.string("ciUser", try promotion.ciUser?.render(context) ?? Promotion.defaultCIUser)
        body.string("timestamp", UTCTimestamp.promotion(context.now))
        if let dryRun = promotion.dryRun { body.bool("dryRun", dryRun) }
        if let sourceRepo = promotion.sourceRepo {
            let key = try Self.repositoryKey(try sourceRepo.render(context), role: "source_repo", context)
            body.string("sourceRepo", key.text)
        }
        if let targetRepo = promotion.targetRepo {
            let key = try Self.repositoryKey(try targetRepo.render(context), role: "target_repo", context)
            body.string("targetRepo", key.text)
        }
        if let copy = promotion.copy { body.bool("copy", copy) }
        if let artifacts = promotion.artifacts { body.bool("artifacts", artifacts) }
        if let dependencies = promotion.dependencies { body.bool("dependencies", dependencies) }
        if let scopes = promotion.scopes {
            var rendered: [String] = []
            for scope in scopes { rendered.append(try scope.render(context)) }
            body.strings("scopes", rendered)
        }
        if let properties = promotion.properties {
            var rendered: [(key: String, values: [String])] = []
            for property in properties {
                var values: [String] = []
                for value in property.values { values.append(try value.render(context)) }
                rendered.append((property.key, values))
            }
            body.stringLists("properties", rendered)
        }
        if let failFast = promotion.failFast { body.bool("failFast", failFast) }
        let project: String?
        if let template = promotion.project {
            project = try template.render(context)
        } else {
            project = context.planning.defaultProject
        }
        let subject = "build:" + name.text + "#" + number.text
        return action(
            subject, .promoteBuild(name: name, number: number, project: project, body: body.finished),
            [ExpectedEffect(subject: subject, kind: "build.promoted")])
    }

    static func buildPart(
        _ template: Template?, _ eventValue: String?, _ key: String, _ context: RenderContext
    ) throws(RulesError) -> PathSegment {
        let value: String
        if let template {
            value = try template.render(context)
        } else if let eventValue {
            value = eventValue
        } else {
            throw RulesError(
                .missingTarget, "\(context.event.kind) events carry no \(key); give the action a \(key):",
                rule: context.rule)
        }
        do {
            return try PathSegment(value)
        } catch {
            throw RulesError(.badPath, "\(key) \"\(value)\" would leave the build API's path", rule: context.rule)
        }
    }

    /// Splits a path on `/` (empty segments dropped) and refuses `.` and `..` segments.
    static func parse(_ path: String, role: String, _ context: RenderContext) throws(RulesError) -> ItemPath {
        do {
            return try ItemPath(path)
        } catch {
            throw refusal(error, role: role, context)
        }
    }

    /// `key` checked as a repository key; a refusal names the rule key (`role`) it came from.
    static func repositoryKey(_ key: String, role: String, _ context: RenderContext) throws(RulesError)
        -> RepositoryKey
    {
        do {
            return try RepositoryKey(key)
        } catch {
            throw refusal(error, role: role, context)
        }
    }

    /// The rule's error for a name or path the request vocabulary refuses, naming the rule key
    /// (`role`) it came from: `bad_repository` for a key, `bad_path` for a `.` or `..` segment.
    private static func refusal(_ error: ArtifactoryRequestError, role: String, _ context: RenderContext) -> RulesError
    {
        switch error.code {
        case .invalidRepository:
            // A key from an event can be long; the message shows enough of it to find it.
            let key = error.text.count > 80 ? String(error.text.prefix(80)) + "…" : error.text
            return RulesError(
                .badRepository, "\(role) \"\(key)\" is not a repository key: \(error.reason ?? "")",
                rule: context.rule)
        case .dotSegment:
            return RulesError(
                .badPath,
                "\(role) \"\(error.text)\" has a \"\(error.segment ?? "")\" segment; a path never leaves its repository",
                rule: context.rule)
        case .separatorInSegment:
            return RulesError(.badPath, "\(role): \(error.description)", rule: context.rule)
        }
    }
}

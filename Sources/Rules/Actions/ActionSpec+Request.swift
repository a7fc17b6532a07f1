import ArtifactoryEvents
import Foundation

extension ActionSpec {
    /// The exact request this action makes for the event in `context` (see JFrog's REST API pages
    /// Set Item Properties, Delete Item Properties, Build Promotion, Copy Item, Move Item and
    /// Delete Item).
    func plan(index: Int, context: RenderContext) throws(RulesError) -> PlannedAction {
        func action(
            _ subject: String, _ method: PlannedAction.Method, _ path: String, body: String? = nil,
            effects: [ExpectedEffect] = []
        ) -> PlannedAction {
            PlannedAction(
                rule: context.rule, actionIndex: index, kind: kind, subject: subject, method: method, path: path,
                body: body, contentType: body == nil ? nil : "application/json", effects: effects)
        }
        switch operation {
        case .setProperties(let properties, let recursive):
            let item = try resolveItem(context)
            var url = URLText("api/storage/")
            item.appendEncoded(to: &url)
            url.append("?properties=")
            for (number, property) in properties.enumerated() {
                if number > 0 { url.append(";") }
                url.appendProperty(property.key)
                url.append("=")
                for (position, value) in property.values.enumerated() {
                    if position > 0 { url.append(",") }
                    url.appendProperty(try value.render(context))
                }
            }
            url.append(recursive ? "&recursive=1" : "&recursive=0")
            let effects = properties.map {
                ExpectedEffect(subject: item.subject, kind: "artifact_property.added", detail: $0.key)
            }
            return action(item.subject, .put, url.string, effects: effects)
        case .deleteProperties(let keys, let recursive):
            let item = try resolveItem(context)
            var url = URLText("api/storage/")
            item.appendEncoded(to: &url)
            url.append("?properties=")
            for (number, key) in keys.enumerated() {
                if number > 0 { url.append(",") }
                url.appendProperty(key)
            }
            url.append(recursive ? "&recursive=1" : "&recursive=0")
            let effects = keys.map {
                ExpectedEffect(subject: item.subject, kind: "artifact_property.deleted", detail: $0)
            }
            return action(item.subject, .delete, url.string, effects: effects)
        case .promoteBuild(let build, let promotion):
            return try planPromotion(build, promotion, context: context, action: action)
        case .copy(let transfer), .move(let transfer):
            let item = try resolveItem(context)
            var url = URLText(kind == .copy ? "api/copy/" : "api/move/")
            item.appendEncoded(to: &url)
            let target = try appendTransferQuery(transfer, context, to: &url)
            let event = kind == .copy ? "artifact.copied" : "artifact.moved"
            var effects = [
                ExpectedEffect(subject: item.subject, kind: event), ExpectedEffect(subject: target, kind: event),
                ExpectedEffect(subject: target, kind: "artifact.deployed"),
            ]
            if kind == .move { effects.append(ExpectedEffect(subject: item.subject, kind: "artifact.deleted")) }
            return action(item.subject, .post, url.string, effects: effects)
        case .delete:
            let item = try resolveItem(context)
            var url = URLText()
            item.appendEncoded(to: &url)
            return action(
                item.subject, .delete, url.string,
                effects: [ExpectedEffect(subject: item.subject, kind: "artifact.deleted")])
        }
    }

    /// The item the action acts on. An action that names neither `repo:` nor `path:` acts on the
    /// event's own item, which every such action of every rule shares: it is resolved once per plan.
    private func resolveItem(_ context: RenderContext) throws(RulesError) -> ResolvedItem {
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
        return try Self.withRule(context) { () throws(RulesError) in
            try ResolvedItem(repo: repo, path: parsed, role: "repo")
        }
    }

    /// Appends `to=…` and the options; returns the destination's subject key.
    private func appendTransferQuery(_ transfer: Transfer, _ context: RenderContext, to url: inout URLText)
        throws(RulesError) -> String
    {
        let destination = try Self.destination(transfer.to, context)
        url.append("?to=/")
        destination.appendEncoded(to: &url)
        if transfer.dryRun == true { url.append("&dry=1") }
        if let suppress = transfer.suppressLayouts {
            url.append(suppress ? "&suppressLayouts=1" : "&suppressLayouts=0")
        }
        if let failFast = transfer.failFast { url.append(failFast ? "&failFast=1" : "&failFast=0") }
        return destination.subject
    }

    /// The rendered and checked `to:`. A template that does not name the rule renders the same for
    /// every rule, so its destination is computed once per plan.
    private static func destination(_ template: Template, _ context: RenderContext) throws(RulesError)
        -> ResolvedItem
    {
        let shared = !template.namesRule
        if shared, let known = context.planning.destination(source: template.source) { return known }
        let path = try Self.parse(try template.render(context), role: "to", context)
        guard path.segmentCount > 0 else {
            throw RulesError(.badPath, "to: is empty; it must start with the target repository", rule: context.rule)
        }
        let destination = try Self.withRule(context) { () throws(RulesError) in
            try ResolvedItem(fullPath: path, role: "to")
        }
        if shared { context.planning.remember(destination, source: template.source) }
        return destination
    }

    private func planPromotion(
        _ build: BuildTarget, _ promotion: Promotion, context: RenderContext,
        action: (String, PlannedAction.Method, String, String?, [ExpectedEffect]) -> PlannedAction
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
            body.string("sourceRepo", try Self.repositoryKey(sourceRepo, role: "source_repo", context))
        }
        if let targetRepo = promotion.targetRepo {
            body.string("targetRepo", try Self.repositoryKey(targetRepo, role: "target_repo", context))
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
        var url = URLText("api/build/promote/")
        url.appendEncoded(name)
        url.append("/")
        url.appendEncoded(number)
        if let project = promotion.project {
            url.append("?project=")
            url.appendEncoded(try project.render(context))
        } else if let project = context.planning.defaultProject {
            url.append("?project=")
            url.appendEncoded(project)
        }
        let subject = "build:" + name + "#" + number
        return action(
            subject, .post, url.string, body.finished, [ExpectedEffect(subject: subject, kind: "build.promoted")])
    }

    private static func buildPart(
        _ template: Template?, _ eventValue: String?, _ key: String, _ context: RenderContext
    ) throws(RulesError) -> String {
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
        guard value != ".", value != ".." else {
            throw RulesError(.badPath, "\(key) \"\(value)\" would leave the build API's path", rule: context.rule)
        }
        return value
    }

    /// Splits a path on `/` (empty segments dropped) and refuses `.` and `..` segments.
    private static func parse(_ path: String, role: String, _ context: RenderContext) throws(RulesError)
        -> ArtifactoryEncoding.Path
    {
        try withRule(context) { () throws(RulesError) in try ArtifactoryEncoding.path(path, role: role) }
    }

    /// The rendered `template`, checked as a repository key.
    private static func repositoryKey(_ template: Template, role: String, _ context: RenderContext)
        throws(RulesError) -> String
    {
        let key = try template.render(context)
        try withRule(context) { () throws(RulesError) in try ResolvedItem.checkRepository(key, role: role) }
        return key
    }

    /// `body`'s result; its error names the rule being planned.
    private static func withRule<T>(_ context: RenderContext, _ body: () throws(RulesError) -> T) throws(RulesError)
        -> T
    {
        do {
            return try body()
        } catch {
            var error = error
            error.rule = context.rule
            throw error
        }
    }
}

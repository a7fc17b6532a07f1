import ArtifactoryEvents
import Foundation

extension ActionSpec {
    /// The exact request this action makes for the event in `context` (see JFrog's REST API pages
    /// Set Item Properties, Delete Item Properties, Build Promotion, Copy Item, Move Item and
    /// Delete Item).
    func plan(index: Int, context: RenderContext, now: Date) throws(RulesError) -> PlannedAction {
        func action(_ subject: String, _ method: PlannedAction.Method, _ path: String, body: String? = nil)
            -> PlannedAction
        {
            PlannedAction(
                rule: context.rule, actionIndex: index, kind: kind, subject: subject, method: method, path: path,
                body: body, contentType: body == nil ? nil : "application/json")
        }
        switch operation {
        case .setProperties(let properties, let recursive):
            let item = try resolveItem(context)
            var pairs: [String] = []
            for property in properties {
                var values: [String] = []
                for value in property.values {
                    values.append(ArtifactoryEncoding.propertyText(try value.render(context)))
                }
                pairs.append(ArtifactoryEncoding.propertyText(property.key) + "=" + values.joined(separator: ","))
            }
            let query = "properties=" + pairs.joined(separator: ";") + "&recursive=" + (recursive ? "1" : "0")
            return action(item.subject, .put, "api/storage/\(item.encoded)?\(query)")
        case .deleteProperties(let keys, let recursive):
            let item = try resolveItem(context)
            let query =
                "properties=" + keys.map(ArtifactoryEncoding.propertyText).joined(separator: ",") + "&recursive="
                + (recursive ? "1" : "0")
            return action(item.subject, .delete, "api/storage/\(item.encoded)?\(query)")
        case .promoteBuild(let build, let promotion):
            return try planPromotion(build, promotion, context: context, now: now, action: action)
        case .copy(let transfer):
            let item = try resolveItem(context)
            return action(item.subject, .post, "api/copy/\(item.encoded)?\(try transferQuery(transfer, context))")
        case .move(let transfer):
            let item = try resolveItem(context)
            return action(item.subject, .post, "api/move/\(item.encoded)?\(try transferQuery(transfer, context))")
        case .delete:
            let item = try resolveItem(context)
            return action(item.subject, .delete, item.encoded)
        }
    }

    /// A resolved item: repository and path segments.
    private struct Item {
        var repo: String
        var segments: [String]

        var subject: String { "artifact:\(repo)/\(segments.joined(separator: "/"))" }
        var encoded: String { ArtifactoryEncoding.encodePath([repo] + segments) }
    }

    private func resolveItem(_ context: RenderContext) throws(RulesError) -> Item {
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
        try Self.checkRepo(repo, role: "repo", context)
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
        let segments = try Self.segments(of: path, role: "path", context)
        guard !segments.isEmpty else {
            throw RulesError(
                .badPath, "the path is empty; an action never targets a whole repository", rule: context.rule)
        }
        return Item(repo: repo, segments: segments)
    }

    private func transferQuery(_ transfer: Transfer, _ context: RenderContext) throws(RulesError) -> String {
        let destination = try Self.segments(of: try transfer.to.render(context), role: "to", context)
        guard let repo = destination.first else {
            throw RulesError(.badPath, "to: is empty; it must start with the target repository", rule: context.rule)
        }
        try Self.checkRepo(repo, role: "to", context)
        var query = "to=/" + ArtifactoryEncoding.encodePath(destination)
        if transfer.dryRun == true { query += "&dry=1" }
        if let suppress = transfer.suppressLayouts { query += "&suppressLayouts=" + (suppress ? "1" : "0") }
        if let failFast = transfer.failFast { query += "&failFast=" + (failFast ? "1" : "0") }
        return query
    }

    private func planPromotion(
        _ build: BuildTarget, _ promotion: Promotion, context: RenderContext, now: Date,
        action: (String, PlannedAction.Method, String, String?) -> PlannedAction
    ) throws(RulesError) -> PlannedAction {
        let name = try Self.buildPart(build.name, context.event.build?.buildName, "build_name", context)
        let number = try Self.buildPart(build.number, context.event.build?.buildNumber, "build_number", context)
        var body = JSONWriter()
        if let status = promotion.status { body.string("status", try status.render(context)) }
        if let comment = promotion.comment { body.string("comment", try comment.render(context)) }
        body.string("ciUser", try promotion.ciUser?.render(context) ?? Promotion.defaultCIUser)
        body.string("timestamp", UTCTimestamp.promotion(now))
        if let dryRun = promotion.dryRun { body.bool("dryRun", dryRun) }
        if let sourceRepo = promotion.sourceRepo { body.string("sourceRepo", try sourceRepo.render(context)) }
        if let targetRepo = promotion.targetRepo { body.string("targetRepo", try targetRepo.render(context)) }
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
        var path = "api/build/promote/" + ArtifactoryEncoding.encodePath([name, number])
        if let project = promotion.project {
            path += "?project=" + ArtifactoryEncoding.percentEncode(try project.render(context))
        }
        return action("build:\(name)#\(number)", .post, path, body.finished)
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
    private static func segments(of path: String, role: String, _ context: RenderContext) throws(RulesError)
        -> [String]
    {
        let segments = path.split(separator: "/").map(String.init)
        if let bad = segments.first(where: { $0 == "." || $0 == ".." }) {
            throw RulesError(
                .badPath, "\(role) \"\(path)\" has a \"\(bad)\" segment; a path never leaves its repository",
                rule: context.rule)
        }
        return segments
    }

    private static func checkRepo(_ repo: String, role: String, _ context: RenderContext) throws(RulesError) {
        guard !repo.isEmpty, repo != ".", repo != "..", !repo.contains("/") else {
            throw RulesError(.badPath, "\(role) names no valid repository (\"\(repo)\")", rule: context.rule)
        }
    }
}

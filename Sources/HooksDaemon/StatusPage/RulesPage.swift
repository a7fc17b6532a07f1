import ArtifactoryRequests
import Foundation
import Rules
import Storage

/// The rules in force, with what each did in the last 24 hours and where it is written.
extension StatusPage {
    struct RulesList {
        struct Row {
            var name: String
            var anchor: String
            var query: String
            var location: String
            var on: String
            var mode: String
            var enabled: Bool
            var events: Int
            var jobs: Int
            var done: Int
            var dead: Int
            var deadHref: String?
        }
        var summary: String
        var rows: [Row]
    }

    func rulesPage() async throws -> RulesList {
        let ruleSet = rules.current
        let activity = try await store.ruleActivity(since: now().addingTimeInterval(-86400))
        let byRule = Dictionary(activity.map { ($0.rule, $0) }, uniquingKeysWith: { first, _ in first })
        let reload = rules.lastReload
        var summary =
            "\(ruleSet.rules.count) rule(s), \(ruleSet.enabledCount) enabled, from \(ruleSet.files.count) file(s);"
            + " loaded \(EventTable.timestamp(reload.at))."
        if !reload.errors.isEmpty {
            summary += " The last reload failed (see the overview); these rules stay in force."
        }
        let rows = ruleSet.rules.map { rule in
            let seen = byRule[rule.name]
            let dead = seen?.dead ?? 0
            let query = URLEncoding.percentEncode(rule.name)
            return RulesList.Row(
                name: EventTable.shown(rule.name), anchor: query, query: query,
                location: EventTable.shown("\(rule.file):\(rule.line)"),
                on: EventTable.shown(rule.selectors.map(\.description).joined(separator: ", ")),
                mode: rule.enabled ? rule.mode(default: config.rulesMode).rawValue : "disabled",
                enabled: rule.enabled, events: seen?.events ?? 0, jobs: seen?.jobs ?? 0, done: seen?.done ?? 0,
                dead: dead, deadHref: dead > 0 ? "/ui/jobs?state=dead&rule=\(query)" : nil)
        }
        return RulesList(summary: summary, rows: rows)
    }
}

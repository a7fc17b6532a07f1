import Foundation

/// Which events a subscription receives: enabled, its domain, one of its event types, and its
/// criteria as the Event API describes them. Artifact domains: `anyLocal` (every repository of the
/// simulator is local), `anyRemote`, `repoKeys`, then `includePatterns` / `excludePatterns` (Ant
/// patterns over the path inside the repository). Builds: `anyBuild`, `selectedBuilds`, then the
/// patterns over the build name. Other domains take every event of their types.
extension SimulatedSubscription {
    func receives(_ event: SimulatedWebhookEvent) -> Bool {
        guard enabled, domain == event.domain, eventTypes.contains(event.eventType) else { return false }
        let criteria =
            criteriaJSON.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        let include = criteria["includePatterns"] as? [String] ?? []
        let exclude = criteria["excludePatterns"] as? [String] ?? []
        let name: String
        if let repo = event.repo {
            let keys = criteria["repoKeys"] as? [String] ?? []
            guard criteria["anyLocal"] as? Bool == true || keys.contains(repo) else { return false }
            name = event.path ?? ""
        } else if let build = event.buildName {
            let selected = criteria["selectedBuilds"] as? [String] ?? []
            guard criteria["anyBuild"] as? Bool == true || selected.contains(build) else { return false }
            name = build
        } else {
            return true
        }
        if !include.isEmpty, !include.contains(where: { Self.antMatch($0, name) }) { return false }
        return !exclude.contains { Self.antMatch($0, name) }
    }

    /// Ant-style matching: `**` any run of characters, `*` any run without `/`, `?` one character.
    static func antMatch(_ pattern: String, _ text: String) -> Bool {
        antMatch(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func antMatch(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == "*" {
            let deep = pattern.dropFirst().first == "*"
            var rest = pattern.dropFirst(deep ? 2 : 1)
            if deep, rest.first == "/" { rest = rest.dropFirst() }
            var index = text.startIndex
            while true {
                if antMatch(rest, text[index...]) { return true }
                guard index < text.endIndex, deep || text[index] != "/" else { return false }
                index += 1
            }
        }
        guard let character = text.first, first == "?" ? character != "/" : first == character else { return false }
        return antMatch(pattern.dropFirst(), text.dropFirst())
    }
}

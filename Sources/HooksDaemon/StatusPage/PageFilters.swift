import ArtifactoryRequests
import Foundation
import Hummingbird
import Storage

/// The events list's filters, read from the query string, with what did not read; each filter
/// holds the text as typed, so the form shows it back.
struct EventFilters: Sendable {
    var kind = ""
    var repo = ""
    var build = ""
    var endpoint = ""
    var origin = ""
    var since = ""
    var until = ""
    /// The next page: ids below this one.
    var before: Int64?
    /// The store's query, when every filter read.
    var query = EventQuery(limit: StatusPage.pageSize + 1)
    /// What did not read, for the page to say.
    var problems: [String] = []

    init(_ parameters: [String: String], now: Date) {
        func text(_ key: String) -> String { parameters[key]?.trimmingCharacters(in: .whitespaces) ?? "" }
        kind = text("kind")
        repo = text("repo")
        build = text("build")
        endpoint = text("endpoint")
        origin = text("origin")
        since = text("since")
        until = text("until")
        before = Int64(text("before"))
        if !kind.isEmpty {
            if kind.split(separator: ".", maxSplits: 1).count == 2 {
                query.kind = kind
            } else {
                problems.append("Kind takes DOMAIN.EVENT_TYPE or DOMAIN.* (for example artifact.deployed).")
            }
        }
        query.repo = repo.isEmpty ? nil : repo
        query.buildName = build.isEmpty ? nil : build
        query.endpoint = endpoint.isEmpty ? nil : endpoint
        query.origin = origin.isEmpty ? nil : origin
        for (key, value) in [("Since", since), ("Until", until)] where !value.isEmpty {
            guard let date = SinceParser.parse(value, now: now) else {
                problems.append("\(key) takes a duration back from now (2h, 7d) or an ISO 8601 time.")
                continue
            }
            if key == "Since" { query.since = date } else { query.until = date }
        }
        query.beforeID = before
    }

    /// The filters as a query string (no page), each value percent-encoded.
    var queryString: String {
        PageLink.query([
            ("kind", kind), ("repo", repo), ("build", build), ("endpoint", endpoint), ("origin", origin),
            ("since", since), ("until", until),
        ])
    }
}

/// The jobs list's filters: state, rule and target (`artifactory` for the Artifactory calls, or a
/// target's name).
struct JobFilters: Sendable {
    var state = ""
    var rule = ""
    var target = ""
    var before: Int64?
    var query = JobQuery(limit: StatusPage.pageSize + 1)

    init(_ parameters: [String: String]) {
        func text(_ key: String) -> String { parameters[key]?.trimmingCharacters(in: .whitespaces) ?? "" }
        state = text("state")
        rule = text("rule")
        target = text("target")
        before = Int64(text("before"))
        query.state = StoredJob.State(rawValue: state)
        if query.state == nil { state = "" }
        query.rule = rule.isEmpty ? nil : rule
        switch target {
        case "": query.subjects = .all
        case "artifactory": query.subjects = .notTargets
        default: query.subjects = .target(target)
        }
        query.beforeID = before
    }

    /// The page's title: dead letters have their own.
    var title: String { query.state == .dead ? "Dead letters" : "Jobs" }

    var queryString: String { PageLink.query([("state", state), ("rule", rule), ("target", target)]) }
}

/// Links the page builds from untrusted text: every value is percent-encoded here, and the
/// template HTML-escapes the whole link again for its attribute.
enum PageLink {
    /// `a=1&b=2` of the pairs whose value is not empty, each value percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { "\($0.0)=\(URLEncoding.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// `path?query`, or `path` alone.
    static func link(_ path: String, _ query: String) -> String {
        query.isEmpty ? path : "\(path)?\(query)"
    }

    /// The link to the next page of a list paged by id: the rows before `lastShownID` with the same
    /// `filters` (a query string); nil when `hasMore` is false (the last page).
    static func nextPage(_ path: String, filters: String, lastShownID: Int64?, hasMore: Bool) -> String? {
        guard hasMore, let lastShownID else { return nil }
        return link(path, [filters, "before=\(lastShownID)"].filter { !$0.isEmpty }.joined(separator: "&"))
    }

    /// The query parameters of `request`, each name's first value.
    static func parameters(of request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where parameters[String(key)] == nil {
            parameters[String(key)] = String(value)
        }
        return parameters
    }
}

import ArtifactoryEvents
import ArtifactoryRequests
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Rules
import Storage

/// The page's actions (`ui.write: true`): retry a dead job, retry every dead letter of a rule,
/// cancel a waiting job, replay an event in shadow or live. Each goes through the store call the
/// matching command makes (`jobs retry`, `jobs cancel`, `events replay`), and only for a request
/// that carries the admin credential, comes from the page's own origin and holds its session's
/// form token. Each is logged with who and what.
extension StatusPage {
    func addActionRoutes(to router: Router<HooksRequestContext>) {
        router.post("/ui/jobs/:id/retry") { request, context in
            try await act(request, context) { user, _ in
                guard let id = context.parameters.get("id", as: Int64.self) else { return badRequest("No such job.") }
                let changed = try await store.retryJobs(ids: [id], now: now())
                audit(user, "retry", ["job.id": "\(id)", "ui.changed": "\(changed)"])
                if changed > 0 { wakeWorker() }
                return redirect("/ui/jobs/\(id)")
            }
        }
        router.post("/ui/jobs/:id/cancel") { request, context in
            try await act(request, context) { user, _ in
                guard let id = context.parameters.get("id", as: Int64.self) else { return badRequest("No such job.") }
                let cancelled = try await store.cancelJob(id: id, now: now())
                audit(user, "cancel", ["job.id": "\(id)", "ui.changed": "\(cancelled ? 1 : 0)"])
                return redirect("/ui/jobs/\(id)")
            }
        }
        router.post("/ui/jobs/retry-dead") { request, context in
            try await act(request, context) { user, form in
                guard let rule = form["rule"], !rule.isEmpty else { return badRequest("Name the rule.") }
                let dead = try await store.jobs(matching: JobQuery(state: .dead, rule: rule, limit: 100_000))
                let changed = try await store.retryJobs(ids: dead.map(\.id), now: now())
                audit(user, "retry-dead", ["rule.name": rule, "ui.changed": "\(changed)"])
                if changed > 0 { wakeWorker() }
                return redirect(PageLink.link("/ui/jobs", PageLink.query([("rule", rule)])))
            }
        }
        router.post("/ui/events/:id/replay") { request, context in
            try await act(request, context) { user, form in
                guard let id = context.parameters.get("id", as: Int64.self), let event = try await store.event(id: id)
                else { return badRequest("No such event.") }
                guard let mode = form["mode"].flatMap(RuleMode.init(rawValue:)) else {
                    return badRequest("Replay takes mode live or shadow.")
                }
                let result = try await replay(event, mode: mode)
                audit(user, "replay", ["event.id": "\(id)", "ui.mode": mode.rawValue, "ui.changed": "\(result)"])
                if result > 0, mode == .live { wakeWorker() }
                return redirect("/ui/events/\(id)")
            }
        }
        // A browser signs in here: the prompt's answer is the HTTP basic credential it then sends
        // with every page under /ui.
        router.get("/ui/login") { request, _ in
            guard writable else { return refusal(.forbidden, Self.readOnlyText) }
            guard credential?.user(authorization: request.headers[.authorization]) != nil else { return challenge() }
            return redirect("/ui")
        }
    }

    static let readOnlyText =
        "This page is read-only. Set ui.write: true and ui.token_file in the config to act from it."

    /// Runs `body` with the signed-in user and the form, once the request passed every check.
    func act(
        _ request: Request, _ context: HooksRequestContext,
        _ body: (String, [String: String]) async throws -> Response
    ) async throws -> Response {
        guard writable else { return refusal(.forbidden, Self.readOnlyText) }
        guard let user = credential?.user(authorization: request.headers[.authorization]) else {
            logger.warning(
                "Status page action refused: no admin credential", metadata: ["ui.path": "\(request.uri.path)"])
            return challenge()
        }
        guard Self.isSameOrigin(request) else {
            logger.warning(
                "Status page action refused: cross-site request", metadata: ["ui.path": "\(request.uri.path)"])
            return refusal(.forbidden, "Refused: the form was not sent from this page's own origin.")
        }
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        let form = Self.formFields(String(buffer: buffer))
        let session = SessionToken.session(inCookies: request.headers[.cookie])
        guard sessions.check(form["csrf"], session: session) else {
            logger.warning(
                "Status page action refused: no valid form token", metadata: ["ui.path": "\(request.uri.path)"])
            return refusal(.forbidden, "Refused: the form's token is missing or stale. Reload the page and try again.")
        }
        return try await body(user, form)
    }

    /// Whether the request comes from the page's own origin: a browser's `Sec-Fetch-Site` says
    /// `same-origin` (or `none`, typed by the user), and an `Origin` it sends names this host. A
    /// client that sends neither (curl) still needs the session's form token.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            return false
        }
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        return true
    }

    /// `application/x-www-form-urlencoded` fields, the first of each name.
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                URLEncoding.percentDecoded($0.replacingOccurrences(of: "+", with: " ")) ?? ""
            }
            if fields[parts[0]] == nil { fields[parts[0]] = parts.count == 2 ? parts[1] : "" }
        }
        return fields
    }

    /// Plans `event` again with the rules in force, as `events replay` does; in `shadow` every job
    /// is recorded and never sent. Returns how many jobs were added.
    func replay(_ event: StoredEvent, mode: RuleMode) async throws -> Int {
        guard event.duplicateOf == nil, let decoded = try? WebhookEvent(body: event.body) else { return 0 }
        if config.endpoints.first(where: { $0.name == event.endpoint })?.accept?.rejection(of: decoded) != nil {
            return 0
        }
        var plan = rules.current.plan(
            decoded,
            context: PlanContext(
                eventID: event.id, now: now(), selfCaused: event.selfCaused, hop: event.hop,
                hopLimit: config.worker.maxHops, defaultProject: config.artifactory?.project,
                defaultMode: config.rulesMode))
        if mode == .shadow {
            for index in plan.actions.indices { plan.actions[index].mode = .shadow }
        }
        return try await store.addPlan(EventPlan(plan), toEvent: event.id, origin: .replay)
    }

    func audit(_ user: String, _ action: String, _ detail: [String: String]) {
        var metadata: Logger.Metadata = ["ui.user": .string(user), "ui.action": .string(action)]
        for (key, value) in detail { metadata[key] = .string(value) }
        logger.info("Status page action", metadata: metadata)
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    func badRequest(_ text: String) -> Response {
        refusal(.badRequest, text)
    }

    func refusal(_ status: HTTPResponse.Status, _ text: String) -> Response {
        message("Refused", text, kind: "bad", back: ("/ui", "Overview"), status: status)
    }

    /// 401 asking a browser for the admin token (any user name, the token as password).
    func challenge() -> Response {
        var response = message(
            "Sign in",
            "Acting from this page needs the admin token (ui.token_file): any user name, the token as password.",
            kind: "bad", back: ("/ui", "Overview"), status: .unauthorized)
        response.headers[.wwwAuthenticate] = #"Basic realm="artifactory-hooks status page", charset="UTF-8""#
        return response
    }
}

import ArtifactoryEvents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Rules
import Storage

/// The status page on the admin listener (`/ui`): server-rendered HTML for the person on call.
///
/// It reads the store through the same queries as the commands (`events list`, `jobs list`,
/// `status`) and renders what they print as HTML; with `ui.write` it changes things only through
/// the calls `jobs retry`, `jobs cancel` and `events replay` make (``StatusPage+Actions``). Every
/// response carries a strict Content-Security-Policy: no script, no inline style, nothing from
/// another origin, no framing.
struct StatusPage: Sendable {
    let store: any EventStore
    let rules: ActiveRules
    let config: DaemonConfig
    let templates: StatusTemplates
    let logger: Logger
    let now: @Sendable () -> Date
    /// The admin credential, when `ui.token_file` is set.
    let credential: AdminCredential?
    let sessions: SessionToken
    /// Tells the worker that retried or replayed jobs are due.
    let wakeWorker: @Sendable () -> Void

    init(
        store: any EventStore, rules: ActiveRules, config: DaemonConfig, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init, wakeWorker: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.rules = rules
        self.config = config
        self.templates = StatusTemplates()
        self.logger = logger
        self.now = now
        self.credential = config.ui.token.map(AdminCredential.init(token:))
        self.sessions = SessionToken()
        self.wakeWorker = wakeWorker
    }

    /// Whether the page offers its actions: `ui.write` with a credential.
    var writable: Bool { config.ui.write && credential != nil }

    /// What a request may do: read only (writes off), sign in (writes on, no credential sent), or
    /// act (signed in: its session's form token, and a cookie to set when the session is new).
    enum Access {
        case readOnly
        case signedOut
        case signedIn(user: String, csrf: String, setCookie: String?)

        var csrf: String? {
            if case .signedIn(_, let csrf, _) = self { return csrf }
            return nil
        }
    }

    func access(_ request: Request) -> Access {
        guard writable else { return .readOnly }
        guard let user = credential?.user(authorization: request.headers[.authorization]) else { return .signedOut }
        if let session = SessionToken.session(inCookies: request.headers[.cookie]) {
            return .signedIn(user: user, csrf: sessions.token(for: session), setCookie: nil)
        }
        let session = sessions.newSession()
        return .signedIn(user: user, csrf: sessions.token(for: session), setCookie: SessionToken.setCookie(session))
    }

    /// Rows per list page.
    static let pageSize = 50

    /// The policy every page is served with.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none';"
        + " base-uri 'none'"

    func addRoutes(to router: Router<HooksRequestContext>) {
        router.get("/ui") { request, _ in try await page("Overview", "overview", try await overview(), access(request))
        }
        router.get("/ui/style.css") { _, _ in
            Self.response(StatusStylesheet.text, contentType: "text/css; charset=utf-8")
        }
        router.get("/ui/events") { request, _ in
            let filters = EventFilters(PageLink.parameters(of: request), now: now())
            return try await page("Events", "events", try await eventList(filters), access(request))
        }
        router.get("/ui/events/:id") { request, context in
            let access = access(request)
            guard let id = context.parameters.get("id", as: Int64.self),
                let model = try await eventDetail(id: id, csrf: access.csrf)
            else { return notFound("No such event in the store.", back: ("/ui/events", "All events")) }
            return try await page("Event \(id)", "event", model, access)
        }
        router.get("/ui/jobs") { request, _ in
            let filters = JobFilters(PageLink.parameters(of: request))
            let access = access(request)
            return try await page(filters.title, "jobs", try await jobList(filters, csrf: access.csrf), access)
        }
        router.get("/ui/jobs/:id") { request, context in
            let access = access(request)
            guard let id = context.parameters.get("id", as: Int64.self),
                let model = try await jobDetail(id: id, csrf: access.csrf)
            else { return notFound("No such job in the store.", back: ("/ui/jobs", "All jobs")) }
            return try await page("Job \(id)", "job", model, access)
        }
        router.get("/ui/rules") { request, _ in try await page("Rules", "rules", try await rulesPage(), access(request))
        }
        addActionRoutes(to: router)
    }

    /// A whole page: `model` rendered with `template` inside the layout.
    func page(_ title: String, _ template: String, _ model: Any, _ access: Access) async throws -> Response {
        var layout = StatusTemplates.Layout(title: title, readOnly: false, signIn: false, user: nil, content: "")
        var extra: HTTPFields = [:]
        switch access {
        case .readOnly: layout.readOnly = true
        case .signedOut: layout.signIn = true
        case .signedIn(let user, _, let cookie):
            layout.user = EventTable.shown(user)
            if let cookie { extra[.setCookie] = cookie }
        }
        return Self.response(templates.page(template, layout: layout, body: model), extra: extra)
    }

    /// A short page saying `text`, with a link back.
    func message(
        _ title: String, _ text: String, kind: String = "note", back: (String, String)?, status: HTTPResponse.Status
    ) -> Response {
        let model = Message(kind: kind, text: text, back: back.map { Message.Link(href: $0.0, label: $0.1) })
        let layout = StatusTemplates.Layout(title: title, readOnly: !writable, signIn: false, user: nil, content: "")
        return Self.response(templates.page("message", layout: layout, body: model), status: status)
    }

    func notFound(_ text: String, back: (String, String)) -> Response {
        message("Not found", text, kind: "bad", back: back, status: .notFound)
    }

    struct Message {
        struct Link {
            var href: String
            var label: String
        }
        var kind: String
        var text: String
        var back: Link?
    }

    /// `text` with the page's security headers.
    static func response(
        _ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/html; charset=utf-8",
        extra: HTTPFields = [:]
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: contentType,
            .cacheControl: "no-store",
            HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

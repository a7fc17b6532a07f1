import Mustache

/// The status page's Mustache templates, compiled into the binary.
///
/// Embedded rather than shipped as resources: the daemon is one executable copied onto a host, and
/// a resource bundle beside it could go missing or drift from the code that fills it. Every
/// `{{value}}` is HTML-escaped by the library (`<`, `>`, `&`, `"`, `'`); the only unescaped
/// (`{{{…}}}`) values are the page body and the charts, which this module renders itself from
/// escaped parts and numbers.
struct StatusTemplates: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in Self.all {
            // The templates are constants of this file; one that does not parse is a programming
            // error the first test catches.
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name): \(error)") }
        }
        self.library = library
    }

    /// `body` rendered with template `name`, inside `layout`.
    func page(_ name: String, layout: Layout, body: Any) -> String {
        var layout = layout
        layout.content = library.render(body, withTemplate: name) ?? ""
        return library.render(layout, withTemplate: "layout") ?? ""
    }

    /// What the layout needs: the page's title, what the visitor may do, and the rendered body.
    struct Layout {
        var title: String
        /// Writes are off: the page says how to turn them on.
        var readOnly: Bool
        /// Writes are on and the visitor has not signed in.
        var signIn: Bool
        /// The signed-in user.
        var user: String?
        var content: String
    }

    static var all: [(String, String)] {
        [
            ("layout", layout), ("overview", overview), ("events", events), ("event", event), ("jobs", jobs),
            ("job", job), ("rules", rules), ("message", message), ("pager", pager),
        ]
    }

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        <title>{{title}} · artifactory-hooks</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/ui/style.css">
        </head>
        <body>
        <header>
        <nav>
        <a class="brand" href="/ui">artifactory-hooks</a>
        <a href="/ui">Overview</a>
        <a href="/ui/events">Events</a>
        <a href="/ui/jobs">Jobs</a>
        <a href="/ui/jobs?state=dead">Dead letters</a>
        <a href="/ui/rules">Rules</a>
        </nav>
        {{#readOnly}}<p class="mode">Read-only. To retry, cancel and replay from this page, set <code>ui.write: true</code> and <code>ui.token_file</code> in the config (docs/operations.md, "The status page").</p>{{/readOnly}}
        {{#signIn}}<p class="mode">Retry, cancel and replay need the admin token: <a href="/ui/login">sign in</a>.</p>{{/signIn}}
        {{#user}}<p class="mode">Signed in as {{.}}; every action is logged.</p>{{/user}}
        </header>
        <main>
        <h1>{{title}}</h1>
        {{{content}}}
        </main>
        </body>
        </html>

        """

    static let message = """
        <p class="{{kind}}">{{text}}</p>
        {{#back}}<p><a href="{{href}}">{{label}}</a></p>{{/back}}

        """

    static let pager = """
        {{#next}}<p class="pager"><a href="{{.}}">Older →</a></p>{{/next}}
        """

    static let overview = """
        <section class="numbers">
        {{#numbers}}
        <a class="number{{#alert}} alert{{/alert}}" href="{{href}}"><span class="value">{{value}}</span><span class="label">{{label}}</span></a>
        {{/numbers}}
        </section>
        <section>
        <h2>Events per minute, last 24 hours</h2>
        {{{eventsChart}}}
        <p class="note">Refused deliveries (bad signature, too large, rate limited) are never stored; this daemon's
        <code>/metrics</code> counts them.</p>
        <h2>Job attempts per minute, last 24 hours</h2>
        {{{attemptsChart}}}
        </section>
        <section>
        <h2>Rules</h2>
        {{#reload}}<p>Last loaded {{at}}: {{#ok}}<span class="ok">ok</span>, {{count}} rule(s) in force.{{/ok}}{{^ok}}<span class="bad">failed</span>; the previous rules stay in force.{{/ok}}</p>
        {{#errors}}<pre class="errors">{{.}}</pre>{{/errors}}{{/reload}}
        </section>
        {{#hasCatchUp}}
        <section>
        <h2>Catch-up</h2>
        <table><thead><tr><th>Subscription</th><th>Read up to</th><th>Being read by</th></tr></thead><tbody>
        {{#catchUp}}<tr><td>{{subscription}}</td><td>{{checkpoint}}</td><td>{{owner}}</td></tr>{{/catchUp}}
        </tbody></table>
        </section>
        {{/hasCatchUp}}

        """
}

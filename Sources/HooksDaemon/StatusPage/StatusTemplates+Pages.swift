/// The list and detail pages' templates (see ``StatusTemplates`` for how values are escaped).
extension StatusTemplates {
    static let events = """
        <form class="filters" method="get" action="/ui/events">
        <label>Kind <input name="kind" value="{{filters.kind}}" placeholder="artifact.deployed, build.*"></label>
        <label>Repository <input name="repo" value="{{filters.repo}}"></label>
        <label>Build <input name="build" value="{{filters.build}}"></label>
        <label>Endpoint <input name="endpoint" value="{{filters.endpoint}}"></label>
        <label>Origin <input name="origin" value="{{filters.origin}}" placeholder="jpd_origin"></label>
        <label>Since <input name="since" value="{{filters.since}}" placeholder="2h, 2026-12-07T08:00:00Z"></label>
        <label>Until <input name="until" value="{{filters.until}}"></label>
        <button type="submit">Filter</button> <a href="/ui/events">Clear</a>
        </form>
        {{#problem}}<p class="bad">{{.}}</p>{{/problem}}
        <table class="list">
        <thead><tr><th>ID</th><th>Received (UTC)</th><th>Endpoint</th><th>Kind</th><th>Subject</th><th>Notes</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/ui/events/{{id}}">{{id}}</a></td><td>{{received}}</td><td>{{endpoint}}</td><td>{{kind}}</td><td class="subject">{{subject}}</td><td>{{notes}}</td></tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="6">No events match.</td></tr>{{/rows}}
        </tbody>
        </table>
        {{> pager}}

        """

    static let event = """
        <dl class="fields">
        {{#fields}}<dt>{{name}}</dt><dd>{{value}}</dd>
        {{/fields}}
        </dl>
        <h2>Body</h2>
        {{#bodyNote}}<p class="note">{{.}}</p>{{/bodyNote}}
        {{#body}}<pre class="body">{{.}}</pre>{{/body}}
        <h2>Rules</h2>
        <p class="note">As the rules in force now judge it (the same explanation as <code>rules test --explain</code>).</p>
        {{#explainProblem}}<p class="bad">{{.}}</p>{{/explainProblem}}
        <table class="list">
        <thead><tr><th>Rule</th><th>Where</th><th>Outcome</th><th>Why</th></tr></thead>
        <tbody>
        {{#rules}}<tr class="{{#matched}}matched{{/matched}}"><td><a href="/ui/rules#rule-{{anchor}}">{{rule}}</a></td><td>{{location}}</td><td>{{outcome}}</td><td>{{reason}}</td></tr>
        {{/rules}}
        {{^rules}}<tr><td colspan="4">No rules in force.</td></tr>{{/rules}}
        </tbody>
        </table>
        <h2>Jobs</h2>
        <table class="list">
        <thead><tr><th>Job</th><th>State</th><th>Rule</th><th>Action</th><th>Request</th><th>Last error</th></tr></thead>
        <tbody>
        {{#jobs}}<tr><td><a href="/ui/jobs/{{id}}">{{id}}</a></td><td><span class="state {{state}}">{{state}}</span></td><td>{{rule}}</td><td>{{action}}</td><td class="subject">{{request}}</td><td>{{error}}</td></tr>
        {{/jobs}}
        {{^jobs}}<tr><td colspan="6">No jobs.</td></tr>{{/jobs}}
        </tbody>
        </table>
        {{#failures}}<p class="bad">{{.}}</p>{{/failures}}
        {{#actions}}
        <h2>Replay</h2>
        <p>Plans this event again with the rules in force now, as <code>events replay</code> does.</p>
        <form method="post" action="/ui/events/{{id}}/replay">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" name="mode" value="shadow">Replay in shadow (record, never send)</button>
        <button type="submit" name="mode" value="live">Replay live</button>
        </form>
        {{/actions}}

        """

    static let jobs = """
        <form class="filters" method="get" action="/ui/jobs">
        <label>State <select name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select></label>
        <label>Rule <input name="rule" value="{{filters.rule}}"></label>
        <label>Target <input name="target" value="{{filters.target}}" placeholder="artifactory or a target's name"></label>
        <button type="submit">Filter</button> <a href="/ui/jobs">Clear</a>
        </form>
        {{#retryAll}}
        <form method="post" action="/ui/jobs/retry-dead">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="rule" value="{{rule}}">
        <button type="submit">Retry every dead letter of rule {{rule}}</button>
        </form>
        {{/retryAll}}
        <table class="list">
        <thead><tr><th>ID</th><th>Event</th><th>State</th><th>Attempts</th><th>Rule</th><th>Action</th><th>Subject</th><th>Last error</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="/ui/jobs/{{id}}">{{id}}</a></td><td><a href="/ui/events/{{eventID}}">{{eventID}}</a></td><td><span class="state {{state}}">{{state}}</span></td><td>{{attempts}}</td><td>{{rule}}</td><td>{{action}}</td><td class="subject">{{subject}}</td><td>{{error}}</td></tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="8">No jobs match.</td></tr>{{/rows}}
        </tbody>
        </table>
        {{> pager}}

        """

    static let job = """
        <dl class="fields">
        {{#fields}}<dt>{{name}}</dt><dd>{{value}}</dd>
        {{/fields}}
        </dl>
        <h2>Request</h2>
        <p class="note">Exactly as planned; values of headers, query parameters and body fields that look like secrets are masked.</p>
        <pre class="body">{{request}}</pre>
        <h2>Attempts</h2>
        <table class="list">
        <thead><tr><th>Started (UTC)</th><th>Outcome</th><th>Answer</th><th>Took</th><th>Artifactory said</th></tr></thead>
        <tbody>
        {{#attempts}}<tr><td>{{started}}</td><td>{{outcome}}</td><td>{{status}}</td><td>{{took}}</td><td class="subject">{{message}}</td></tr>
        {{/attempts}}
        {{^attempts}}<tr><td colspan="5">No attempt yet.</td></tr>{{/attempts}}
        </tbody>
        </table>
        {{#actions}}{{#any}}
        <h2>Actions</h2>
        {{#canRetry}}<form method="post" action="/ui/jobs/{{id}}/retry"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Retry</button></form>{{/canRetry}}
        {{#canCancel}}<form method="post" action="/ui/jobs/{{id}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Cancel</button></form>{{/canCancel}}
        {{/any}}{{/actions}}

        """

    static let rules = """
        <p>{{summary}}</p>
        <table class="list">
        <thead><tr><th>Rule</th><th>Where</th><th>On</th><th>Mode</th><th>Events matched, 24 h</th><th>Jobs, 24 h</th><th>Done</th><th>Dead</th></tr></thead>
        <tbody>
        {{#rows}}<tr id="rule-{{anchor}}"{{^enabled}} class="disabled"{{/enabled}}><td><a href="/ui/jobs?rule={{query}}">{{name}}</a></td><td>{{location}}</td><td>{{on}}</td><td>{{mode}}</td><td>{{events}}</td><td>{{jobs}}</td><td>{{done}}</td><td>{{#deadHref}}<a href="{{.}}">{{dead}}</a>{{/deadHref}}{{^deadHref}}{{dead}}{{/deadHref}}</td></tr>
        {{/rows}}
        {{^rows}}<tr><td colspan="8">No rules loaded.</td></tr>{{/rows}}
        </tbody>
        </table>

        """
}

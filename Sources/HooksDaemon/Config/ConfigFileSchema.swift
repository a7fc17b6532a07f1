import ArtifactoryEvents
import Rules
import Storage
import YAMLDiagnostics

/// The structure of the config file: the one list of each section's keys, with their value kinds
/// and help. ``ConfigReader`` takes its known keys from here, and `config schema` renders it as the
/// JSON Schema editors use (``document``); a key the config may hold is added here, and its
/// reader reads it. Defaults stay documented on the config structs; values that must fit
/// together (a lease and a timeout, an auth mode and its secrets) stay with the reader.
package enum ConfigFileSchema {
    /// The JSON Schema document of a config file; an endpoint's `accept:` takes the rules' condition
    /// definitions.
    package static var document: SchemaDocument {
        SchemaDocument(
            title: "artifactory-hooks config file",
            description:
                "The daemon's config. See docs/operations.md; `artifactory-hooks serve --config FILE` reports "
                + "what a schema cannot (files, URLs, settings that must fit together).",
            root: .mapping(top),
            definitions: RuleFileSchema.conditionDefinitions + [
                ("duration", duration), ("size", size), ("secrets", secretList), ("addresses", addresses),
                ("endpoint", .mapping(endpoint)), ("target", .mapping(target)),
            ])
    }

    /// A duration: `500ms`, `30s`, `5m`, `12h`, `30d`, or `0`.
    package static let duration = SchemaNode.anyOf(
        [.text(pattern: "^\\s*(0|[0-9.]+(ms|s|m|h|d))\\s*$"), .integer(minimum: 0)],
        "A duration: a number with ms, s, m, h or d (500ms, 30s, 5m, 24h, 30d), or 0.")

    /// A size: a number of bytes, or one with KiB, MiB, GiB, KB, MB or B.
    package static let size = SchemaNode.anyOf(
        [.text(pattern: "^\\s*[0-9]+\\s*(KiB|MiB|GiB|KB|MB|B)?\\s*$"), .integer(minimum: 1)],
        "A size in bytes: 1048576, 512KiB, 1MiB.")

    /// Words that turn a setting off.
    package static let offWords = ["off", "none", "false", "no"]

    package static let addresses = SchemaNode.list(
        .text(), "Addresses or CIDR blocks, such as [10.0.0.0/8, \"fd00::/8\"].")

    package static let secretList = SchemaNode.list(
        .anyOf([.text("A secret, written in the file."), .mapping(secretEntry)]), minItems: 1,
        "Secrets, any of which is accepted (rotation): {file: …}, {env: …} or a text.")

    /// An entry of a `secrets:` list.
    package static let secretEntry = SchemaMapping([
        .init("file", .text("A file holding the secret (or a systemd credential's name).")),
        .init("env", .text("An environment variable holding the secret.")),
    ])

    /// The top of the file.
    package static let top = SchemaMapping([
        .init("listen", .text("host:port of the webhook listener (default 127.0.0.1:8470).")),
        .init(
            "admin_listen",
            .anyOf([.text(), .choice(offWords)], "host:port of /metrics, or off to serve it on the webhook listener.")),
        .init("admin", .mapping(admin, "The admin listener's limits.")),
        .init("store", .mapping(store, "Where events and jobs are kept: sqlite: or postgres:.")),
        .init(
            "rules",
            .anyOf(
                [.text("The rules directory."), .mapping(rules)],
                "The rules directory, or {directory:, mode:}.")),
        .init(
            "rules_poll_interval", .reference("duration", "How often the rules directory is polled; 0: SIGHUP only.")),
        .init("artifactory", .mapping(artifactory, "The Artifactory the rules' actions call.")),
        .init(
            "endpoints", .list(.reference("endpoint"), minItems: 1, "The webhook endpoints: POST /webhooks/{name}."),
            required: true),
        .init("ingest", .mapping(ingest, "Limits on incoming deliveries.")),
        .init("worker", .mapping(worker, "How planned jobs run.")),
        .init("tls", .mapping(tls, "HTTPS for the webhook listener.")),
        .init("trusted_proxies", .reference("addresses", "Proxies whose X-Forwarded-For is believed.")),
        .init("targets", .list(.reference("target"), "Outbound HTTP services the rules' http: actions call.")),
        .init(
            "subscriptions",
            .mapping(subscriptions, "The webhooks subscriptions plan/apply keep in Artifactory's Event API.")),
        .init(
            "catch_up", .mapping(catchUp, "Reading failed deliveries back from Artifactory's troubleshooting store.")),
        .init("ui", .mapping(ui, "The status page on the admin listener (/ui).")),
    ])

    package static let ui = SchemaMapping([
        .init("enabled", .boolean("Whether the admin listener serves the status page (default true).")),
        .init("write", .boolean("Whether the page offers retry, cancel and replay (default false); needs token_file.")),
        .init("token_file", .text("A file holding the admin token the page's actions need (or a systemd credential).")),
        .init("token_env", .text("An environment variable holding the admin token.")),
    ])

    package static let catchUp = SchemaMapping([
        .init(
            "interval",
            .anyOf(
                [.reference("duration"), .choice(offWords)],
                "How often the subscriptions' failed deliveries are caught up (default 5m); 0 or off: never."))
    ])

    package static let admin = SchemaMapping([
        .init("max_connections", .integer("Connections held open at once on the admin listener.", minimum: 1))
    ])

    package static let rules = SchemaMapping([
        .init("directory", .text("The rules directory, relative to this file.")),
        .init(
            "mode",
            .choice(RuleMode.allCases.map(\.rawValue), "The mode of rules without their own mode: (default live).")),
    ])

    package static let store = SchemaMapping([
        .init("sqlite", .text("The SQLite file, relative to this file.")),
        .init(
            "synchronous",
            .choice(
                SQLiteEventStore.Synchronous.allCases.flatMap { [$0.rawValue.lowercased(), $0.rawValue] },
                "SQLite's durability mode: normal, full (default) or extra.")),
        .init("postgres", .text("postgres://USER@HOST[:PORT]/DATABASE (no password).")),
        .init("password_file", .text("The PostgreSQL password's file.")),
        .init("password_env", .text("The environment variable with the PostgreSQL password.")),
        .init(
            "tls",
            .choice(
                PostgresEventStore.Configuration.TLSMode.allCases.map(\.rawValue),
                "TLS to PostgreSQL: disable, prefer (default) or require.")),
        .init("pool_size", .integer("PostgreSQL connections (one listens for new jobs).", minimum: 2)),
        .init(
            "retention",
            .anyOf([.reference("duration"), .choice(offWords)], "How long events are kept; off keeps everything.")),
        .init("retention_interval", .reference("duration", "How often old events are pruned.")),
        .init("retention_batch", .integer("Events pruned per transaction.", minimum: 1)),
        .init(
            "max_bytes",
            .anyOf([.reference("size"), .choice(offWords)], "The store's size cap (503 while over it), or off.")),
    ])

    package static let artifactory = SchemaMapping([
        .init("url", .text("Artifactory's base URL, such as https://example.jfrog.io/artifactory.")),
        .init("token_file", .text("A file holding the access token.")),
        .init("token_env", .text("An environment variable holding the access token.")),
        .init("user", .text("The user, for basic authentication.")),
        .init("password_file", .text("A file holding the password.")),
        .init("password_env", .text("An environment variable holding the password.")),
        .init("timeout", .reference("duration", "How long one call may take.")),
        .init("connect_timeout", .reference("duration", "How long connecting may take.")),
        .init("ca_file", .text("A PEM file of CA certificates to trust.")),
        .init("project", .text("The JFrog project key calls are made in.")),
        .init("platform_url", .text("The JFrog Platform's base URL (default: derived from url).")),
    ])

    package static let endpoint = SchemaMapping([
        .init("name", .text("The URL segment after /webhooks/.", pattern: "^[A-Za-z0-9._-]+$"), required: true),
        .init(
            "auth", .choice(AuthMode.allCases.map(\.rawValue), "How deliveries are authenticated."), required: true),
        .init("secret_file", .text("A file holding the secret.")),
        .init("secret_env", .text("An environment variable holding the secret.")),
        .init("secrets", .reference("secrets")),
        .init("allow_from", .reference("addresses", "Only deliveries from these addresses.")),
        .init("rate_limit", .mapping(rateLimit, "Deliveries a second, after the signature check.")),
        .init(
            "accept",
            .reference(
                "condition",
                "A rule's when: for the endpoint: events it does not take are stored as ignored, and no rule runs.")),
    ])

    package static let rateLimit = SchemaMapping([
        .init(
            "per_second", .anyOf([.text(), SchemaNode(.scalar)], "Deliveries a second, such as 10 or 0.5."),
            required: true),
        .init("burst", .integer("Deliveries taken at once above the rate.", minimum: 1)),
    ])

    package static let ingest = SchemaMapping([
        .init("max_body_bytes", .reference("size", "The largest body accepted.")),
        .init("dedup_window", .reference("duration", "How long a delivered event is recognised again; 0: off.")),
        .init("idle_timeout", .reference("duration", "How long an idle connection stays open; 0: never closed.")),
        .init("body_timeout", .reference("duration", "How long a body may take to arrive; 0: no limit.")),
        .init("max_buffered_bytes", .reference("size", "The bytes of bodies held at once.")),
        .init("max_connections", .integer("Connections held open at once.", minimum: 1)),
    ])

    package static let worker = SchemaMapping(
        [
            ("concurrency", "Calls to Artifactory at once."),
            ("max_attempts", "Attempts before a job is dead-lettered."),
        ].map { .init($0.0, .integer($0.1, minimum: 1)) }
            + [
                ("max_age", "How long a job is retried."), ("backoff_base", "The first retry's delay."),
                ("backoff_max", "The longest retry delay."), ("lease", "How long a leased job is held."),
                ("self_caused_window", "How long an event the daemon caused is recognised."),
            ].map { .init($0.0, .reference("duration", $0.1)) }
            + [
                .init("max_hops", .integer("The longest chain of events caused by the daemon's calls.", minimum: 1)),
                .init("drain_timeout", .reference("duration", "How long shutdown waits for calls in flight.")),
                .init("max_pending", .integer("Jobs waiting before new events are deferred.", minimum: 1)),
                .init("max_fanout_items", .integer("The most items a for_each acts on.", minimum: 1)),
            ])

    package static let tls = SchemaMapping([
        .init("cert_file", .text("The PEM certificate chain."), required: true),
        .init("key_file", .text("The PEM private key."), required: true),
    ])

    /// The auth modes of a target.
    package static let targetAuthModes = ["bearer", "basic", "header", "none"]

    /// The signature schemes of a target.
    package static let signSchemes = ["standard-webhooks", "hmac-sha256"]

    package static let target: SchemaMapping = {
        var mapping = SchemaMapping(targetKeys)
        mapping.exactlyOne = ["url", "url_file"]
        return mapping
    }()

    private static let targetKeys: [SchemaMapping.Key] = [
        .init("name", .text("What rules write after target:.", pattern: "^[A-Za-z][A-Za-z0-9_-]*$"), required: true),
        .init("url", .text("The base URL; every call stays under it. Give url or url_file.")),
        .init(
            "url_file",
            .text("Instead of url: a file holding a URL that is itself a secret (Slack, Teams); it may carry a query.")
        ),
        .init("allow_plain_http", .boolean("Allow an http:// URL (default false).")),
        .init(
            "auth",
            .choice(
                targetAuthModes,
                "bearer (token_file), basic (user, password_file), header (header, value_file) or none."),
            required: true),
        .init("token_file", .text("bearer: a file holding the token.")),
        .init("user", .text("basic: the user.")),
        .init("password_file", .text("basic: a file holding the password.")),
        .init("header", .text("header: the header's name, such as X-Api-Key.")),
        .init("value_file", .text("header: a file holding the header's value.")),
        .init("ca_file", .text("A PEM file of CA certificates to trust.")),
        .init("timeout", .reference("duration", "How long one call may take (at most half of worker.lease).")),
        .init("connect_timeout", .reference("duration", "How long connecting may take.")),
        .init("concurrency", .integer("This target's calls at once.", minimum: 1)),
        .init("sign", .mapping(sign, "Signs each delivery for receivers that verify.")),
        .init("success", .list(statusCode, minItems: 1, "Statuses that count as success (default every 2xx).")),
        .init(
            "retry", .list(statusCode, minItems: 1, "Statuses that are retried (default 408, 425, 429 and every 5xx).")),
    ]

    package static let statusCode = SchemaNode.integer("An HTTP status.", minimum: 100)

    package static let sign = SchemaMapping([
        .init("scheme", .choice(signSchemes, "standard-webhooks or hmac-sha256."), required: true),
        .init("secret_file", .text("A file holding the signing secret."), required: true),
        .init("header", .text("hmac-sha256: the header carrying the signature.")),
    ])
}

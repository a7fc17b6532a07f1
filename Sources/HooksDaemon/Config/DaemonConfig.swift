public import ArtifactoryAPI
public import ArtifactoryEvents
public import Foundation
public import Rules
public import Storage

/// Everything the daemon reads from its config file, with defaults applied and secrets resolved.
public struct DaemonConfig: Sendable {
    /// Where the webhook listener binds. Default ``defaultListen``.
    public var listen: ListenAddress
    /// The event store. Default: SQLite at ``defaultSQLitePath``.
    public var store: Store
    /// Directory of `*.yml` rule files (`rules`, or `rules.directory`), when set; without it no
    /// rule runs.
    public var rulesDirectory: String?
    /// `rules.mode`: the mode of every rule that does not say `mode:` itself; `shadow` records each
    /// rule's jobs and sends none. Read at start (a reload reads only the rule files). Default
    /// ``RuleMode/live``.
    public var rulesMode: RuleMode
    /// How often the rules directory is checked for changes; `.zero` reloads on SIGHUP only.
    /// Default ``defaultRulesPollInterval``.
    public var rulesPollInterval: Duration
    /// The Artifactory instance rules call back into, when set.
    public var artifactory: Artifactory?
    /// The webhook endpoints; at least one.
    public var endpoints: [Endpoint]
    /// Limits on incoming deliveries.
    public var ingest: Ingest
    /// How planned jobs are run.
    public var worker: Worker
    /// `admin_listen`: where `/metrics`, `/healthz` and `/readyz` are served apart from the
    /// webhooks; `nil` (`admin_listen: off`) serves `/metrics` on the webhook listener instead.
    /// Default ``defaultAdminListen``.
    public var adminListen: ListenAddress?
    /// `admin:`: limits on the admin listener.
    public var admin: Admin
    /// `store.retention…`: how long settled events are kept.
    public var retention: Retention
    /// `store.max_bytes`: past this size (``EventStore/storeSize()``, sampled every second) the
    /// daemon refuses deliveries with 503 and `/readyz` says why, until retention frees space.
    /// Default `nil`: no cap.
    public var storeMaxBytes: Int?
    /// `tls`: serve the webhook listener over HTTPS with these files. Default: plain HTTP.
    public var tls: TLS?
    /// `trusted_proxies`: reverse proxies whose `X-Forwarded-For` names the client. Default: none
    /// (the TCP peer is the client).
    public var trustedProxies: [CIDRBlock]
    /// `targets:`: the outbound services rules' `http:` calls name. Default: none.
    public var targets: [Target] = []
    /// `subscriptions:`: the webhook subscriptions `subscriptions plan/apply` keep in Artifactory.
    /// Default: none.
    public var subscriptions = Subscriptions()
    /// `catch_up:`: reading the subscriptions' failed deliveries back from Artifactory.
    public var catchUp = CatchUp()
    /// `ui:`: the status page on the admin listener.
    public var ui = UI()

    /// The webhook listener's address when `listen` is not given: `127.0.0.1:8470`.
    public static let defaultListen = ListenAddress(host: "127.0.0.1", port: 8470)
    /// The admin listener's address when `admin_listen` is not given: `127.0.0.1:9465`.
    public static let defaultAdminListen = ListenAddress(host: "127.0.0.1", port: 9465)
    /// The SQLite file when `store:` names no engine: `/var/lib/artifactory-hooks/events.sqlite`.
    public static let defaultSQLitePath = "/var/lib/artifactory-hooks/events.sqlite"
    /// How often the rules directory is checked when `rules_poll_interval` is not given: 2 seconds.
    public static let defaultRulesPollInterval = Duration.seconds(2)

    public init(
        listen: ListenAddress = DaemonConfig.defaultListen,
        adminListen: ListenAddress? = DaemonConfig.defaultAdminListen,
        admin: Admin = Admin(),
        store: Store,
        retention: Retention = Retention(),
        rulesDirectory: String? = nil,
        rulesMode: RuleMode = .live,
        rulesPollInterval: Duration = DaemonConfig.defaultRulesPollInterval,
        artifactory: Artifactory? = nil,
        endpoints: [Endpoint],
        ingest: Ingest = Ingest(),
        worker: Worker = Worker(),
        tls: TLS? = nil,
        trustedProxies: [CIDRBlock] = []
    ) {
        self.worker = worker
        self.tls = tls
        self.trustedProxies = trustedProxies
        self.listen = listen
        self.adminListen = adminListen
        self.admin = admin
        self.retention = retention
        self.store = store
        self.rulesDirectory = rulesDirectory
        self.rulesMode = rulesMode
        self.rulesPollInterval = rulesPollInterval
        self.artifactory = artifactory
        self.endpoints = endpoints
        self.ingest = ingest
    }

    /// A `host:port` pair.
    public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
        /// Host name or address to bind.
        public var host: String
        /// TCP port; 0 picks a free one (tests).
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// Parses `host:port` or `[v6]:port`; `nil` when malformed.
        public init?(parsing text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (0...65535).contains(port)
            else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The listener's certificate and key (`tls:`), PEM files re-read on reload.
    public struct TLS: Sendable, Equatable {
        /// `cert_file`: the server certificate, then its intermediates.
        public var certFile: String
        /// `key_file`: the unencrypted private key.
        public var keyFile: String

        public init(certFile: String, keyFile: String) {
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// Which store backs the daemon.
    public enum Store: Sendable, Equatable {
        /// One SQLite file (the embedded default).
        case sqlite(SQLiteEventStore.Configuration)
        /// A PostgreSQL database that several daemons may share (docs/ha.md).
        case postgres(PostgresEventStore.Configuration)
    }

    /// How to reach Artifactory's REST API.
    public struct Artifactory: Sendable {
        /// Base URL including the context path (`https://host/artifactory`).
        public var url: URL
        /// The access token (`token_file`/`token_env`) or user and password (`user` +
        /// `password_file`/`password_env`). Never logged.
        public var credential: ArtifactoryCredential
        /// `timeout`: longest one call may take. Default ``defaultTimeout``.
        public var timeout: Duration
        /// `connect_timeout`: longest opening a connection may take. Default ``defaultConnectTimeout``.
        public var connectTimeout: Duration
        /// `ca_file`: PEM CA certificates trusted in addition to the system's. Default: none.
        public var caFile: String?
        /// `project`: the project key sent with build calls. Default: none.
        public var project: String?
        /// `platform_url`: the JFrog Platform's base URL, which `platform:` calls are relative to.
        /// Default (`nil`): ``url`` without its final `/artifactory` segment.
        public var platformURL: URL?

        /// `timeout` when not given: 30 seconds.
        public static let defaultTimeout = Duration.seconds(30)
        /// `connect_timeout` when not given: 10 seconds.
        public static let defaultConnectTimeout = Duration.seconds(10)

        public init(
            url: URL, credential: ArtifactoryCredential, timeout: Duration = defaultTimeout,
            connectTimeout: Duration = defaultConnectTimeout, caFile: String? = nil, project: String? = nil,
            platformURL: URL? = nil
        ) {
            self.platformURL = platformURL
            self.url = url
            self.credential = credential
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.caFile = caFile
            self.project = project
        }

        /// The client configuration these settings describe.
        public var clientConfiguration: ArtifactoryClient.Configuration {
            ArtifactoryClient.Configuration(
                baseURL: url, credential: credential, requestTimeout: timeout, connectTimeout: connectTimeout,
                caFile: caFile, project: project, platformBaseURL: platformURL)
        }
    }

    /// One webhook endpoint, `POST /webhooks/{name}`.
    public struct Endpoint: Sendable {
        /// The URL segment; letters, digits, `-`, `_`, `.`.
        public var name: String
        /// How deliveries are authenticated.
        public var auth: AuthMode
        /// Every secret valid now (several during rotation). Never logged.
        public var secrets: [String]
        /// `allow_from`: the only client addresses accepted (403 for others); empty accepts any.
        public var allowFrom: [CIDRBlock]
        /// `rate_limit`: how many authenticated deliveries a second it takes (429 past it).
        /// Default `nil`: no limit.
        public var rateLimit: RateLimit?
        /// `accept:`: the events it plans, as a rule's `when:` block; the others are stored as
        /// ignored and never planned. Default `nil`: every event.
        public var accept: EventFilter?

        public init(
            name: String, auth: AuthMode, secrets: [String], allowFrom: [CIDRBlock] = [], rateLimit: RateLimit? = nil,
            accept: EventFilter? = nil
        ) {
            self.name = name
            self.auth = auth
            self.secrets = secrets
            self.allowFrom = allowFrom
            self.rateLimit = rateLimit
            self.accept = accept
        }
    }

    /// How the worker runs jobs against Artifactory (`worker:` in the config).
    public struct Worker: Sendable, Equatable {
        /// Jobs run at once (different subjects). Default 8.
        public var concurrency: Int
        /// Attempts before a job is dead. Default 10.
        public var maxAttempts: Int
        /// Age after which a failing job is dead whatever its attempt count. Default 24 hours.
        public var maxAge: Duration
        /// First retry delay; doubles each attempt, with jitter. Default 1 second.
        public var backoffBase: Duration
        /// Longest retry delay. Default 5 minutes.
        public var backoffMax: Duration
        /// How long a leased job may run before another worker may take it over. Default 60 seconds.
        public var lease: Duration
        /// Loop guard: how long an event our own call causes is recognised as self-caused. Default 60 seconds.
        public var selfCausedWindow: Duration
        /// Loop guard: the longest chain of self-caused events rules may act on. Default 3.
        public var maxHops: Int
        /// On shutdown, how long calls in flight may take to finish. Default 10 seconds.
        public var drainTimeout: Duration
        /// Backpressure: with more unfinished jobs (pending, running, failed) than this, new events
        /// are stored and acknowledged but planned later. Default 10000.
        public var maxPending: Int
        /// Fan-out: the most items a `for_each` may find (unless its `max_items:` says otherwise);
        /// a query that finds more is a dead letter and sends nothing. Default 10000.
        public var maxFanoutItems: Int = 10_000
        /// Fan-out: how many items one page of a `for_each` query reads (and one transaction
        /// inserts as child jobs). Not a config key. Default 500.
        public var fanoutPageSize: Int = 500

        public init(
            concurrency: Int = 8, maxAttempts: Int = 10, maxAge: Duration = .seconds(86400),
            backoffBase: Duration = .seconds(1), backoffMax: Duration = .seconds(300), lease: Duration = .seconds(60),
            selfCausedWindow: Duration = .seconds(60), maxHops: Int = 3, drainTimeout: Duration = .seconds(10),
            maxPending: Int = 10000
        ) {
            self.maxPending = maxPending
            self.concurrency = concurrency
            self.maxAttempts = maxAttempts
            self.maxAge = maxAge
            self.backoffBase = backoffBase
            self.backoffMax = backoffMax
            self.lease = lease
            self.selfCausedWindow = selfCausedWindow
            self.maxHops = maxHops
            self.drainTimeout = drainTimeout
        }
    }

    /// Limits on incoming deliveries.
    public struct Ingest: Sendable, Equatable {
        /// Largest body accepted, in bytes; larger ones get 413. Default 1 MiB.
        public var maxBodyBytes: Int
        /// How long a webhook connection may send nothing before it is closed; `nil` never.
        /// Default 60 s: an idle or stalled client cannot hold a connection (and its descriptor)
        /// for ever.
        public var idleTimeout: Duration?
        /// How long a delivery's body may take to arrive after its headers; later, 408 and the
        /// connection closes; `nil` never. Default 10 s: a client that sends a byte now and then
        /// cannot hold a connection, nor a graceful stop.
        public var bodyTimeout: Duration?
        /// How long a repeated delivery counts as a duplicate of the first. Default 5 minutes.
        public var dedupWindow: Duration
        /// Bytes of bodies held at once across all deliveries in progress, from the first byte read
        /// until the answer; a delivery that does not fit gets 503 with `Retry-After`. Default
        /// 64 MiB: unauthenticated clients cannot make the daemon hold more than this. At least
        /// `maxBodyBytes`.
        public var maxBufferedBytes: Int

        /// `max_connections`: the most connections the webhook listener holds at once; past it the
        /// connection idle longest is closed to make room, or the new one when all are busy.
        /// Lowered at start when it does not fit the descriptor limit. Default 512.
        public var maxConnections: Int

        public init(
            maxBodyBytes: Int = 1 << 20, dedupWindow: Duration = .seconds(300), idleTimeout: Duration? = .seconds(60),
            bodyTimeout: Duration? = .seconds(10), maxBufferedBytes: Int = 64 << 20,
            maxConnections: Int = 512
        ) {
            self.maxConnections = maxConnections
            self.maxBodyBytes = maxBodyBytes
            self.maxBufferedBytes = maxBufferedBytes
            self.dedupWindow = dedupWindow
            self.idleTimeout = idleTimeout
            self.bodyTimeout = bodyTimeout
        }
    }

    /// Limits on the admin listener (`admin:`); it has the webhook listener's `ingest.idle_timeout`.
    public struct Admin: Sendable, Equatable {
        /// `max_connections`: the most connections the admin listener holds at once, kept apart
        /// from the webhook listener's so that a flood on either leaves the other answering.
        /// Lowered at start when it does not fit the descriptor limit. Default 64.
        public var maxConnections: Int

        public init(maxConnections: Int = 64) {
            self.maxConnections = maxConnections
        }
    }
}

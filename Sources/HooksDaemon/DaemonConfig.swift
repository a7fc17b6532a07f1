public import ArtifactoryAPI
public import ArtifactoryEvents
public import Foundation
public import Storage

/// Everything the daemon reads from its config file, with defaults applied and secrets resolved.
public struct DaemonConfig: Sendable {
    /// Where the webhook listener binds. Default `127.0.0.1:8470`.
    public var listen: ListenAddress
    /// The event store. Default: SQLite at `/var/lib/artifactory-hooks/events.sqlite`.
    public var store: Store
    /// Directory of `*.yml` rule files, when set.
    public var rulesDirectory: String?
    /// The Artifactory instance rules call back into, when set.
    public var artifactory: Artifactory?
    /// The webhook endpoints; at least one.
    public var endpoints: [Endpoint]
    /// Limits on incoming deliveries.
    public var ingest: Ingest

    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8470),
        store: Store,
        rulesDirectory: String? = nil,
        artifactory: Artifactory? = nil,
        endpoints: [Endpoint],
        ingest: Ingest = Ingest()
    ) {
        self.listen = listen
        self.store = store
        self.rulesDirectory = rulesDirectory
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

    /// Which store backs the daemon.
    public enum Store: Sendable, Equatable {
        /// One SQLite file (the embedded default).
        case sqlite(SQLiteEventStore.Configuration)
    }

    /// How to reach Artifactory's REST API.
    public struct Artifactory: Sendable {
        /// Base URL including the context path (`https://host/artifactory`).
        public var url: URL
        /// The access token (`token_file`/`token_env`) or user and password (`user` +
        /// `password_file`/`password_env`). Never logged.
        public var credential: ArtifactoryCredential
        /// `timeout`: longest one call may take. Default 30 seconds.
        public var timeout: Duration
        /// `connect_timeout`: longest opening a connection may take. Default 10 seconds.
        public var connectTimeout: Duration
        /// `ca_file`: PEM CA certificates trusted in addition to the system's. Default: none.
        public var caFile: String?
        /// `project`: the project key sent with build calls. Default: none.
        public var project: String?

        public init(
            url: URL, credential: ArtifactoryCredential, timeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10), caFile: String? = nil, project: String? = nil
        ) {
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
                caFile: caFile, project: project)
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

        public init(name: String, auth: AuthMode, secrets: [String]) {
            self.name = name
            self.auth = auth
            self.secrets = secrets
        }
    }

    /// Limits on incoming deliveries.
    public struct Ingest: Sendable, Equatable {
        /// Largest body accepted, in bytes; larger ones get 413. Default 1 MiB.
        public var maxBodyBytes: Int
        /// How long a repeated delivery counts as a duplicate of the first. Default 5 minutes.
        public var dedupWindow: Duration

        public init(maxBodyBytes: Int = 1 << 20, dedupWindow: Duration = .seconds(300)) {
            self.maxBodyBytes = maxBodyBytes
            self.dedupWindow = dedupWindow
        }
    }
}

public import Foundation

extension ArtifactorySimulator {
    /// What the simulator listens on and accepts.
    public struct Configuration: Sendable {
        /// A certificate chain and its key, PEM files, to serve HTTPS.
        public struct TLS: Sendable {
            /// The server certificate (and intermediates), PEM.
            public var certificateFile: String
            /// The private key, PEM.
            public var privateKeyFile: String

            public init(certificateFile: String, privateKeyFile: String) {
                self.certificateFile = certificateFile
                self.privateKeyFile = privateKeyFile
            }
        }

        /// Address to bind. Default `127.0.0.1`.
        public var host: String
        /// Port to bind; 0 picks a free one. Default 0.
        public var port: Int
        /// The context path every API path sits under. Default `artifactory`.
        public var contextPath: String
        /// Access tokens accepted as `Bearer` (or as a Basic password). Default: none.
        public var tokens: [String]
        /// Users and their passwords accepted as Basic. Default: none. With neither tokens nor
        /// users, every request is accepted as `anonymous`.
        public var users: [String: String]
        /// Local repositories created at start. Default: none.
        public var repositories: [String]
        /// The version `api/system/version` reports. Default `7.104.5`.
        public var version: String
        /// Serve HTTPS with this certificate. Default: plain HTTP.
        public var tls: TLS?
        /// The most results one AQL answer holds (Artifactory's `aql.search.query.max.limit`);
        /// beyond it the answer is trimmed and `range.notification` says so. Default: no limit,
        /// as in self-managed Artifactory.
        public var aqlResultLimit: Int?
        /// The longest AQL query accepted, in characters (`aql.search.query.size.limit`); longer
        /// ones get a 400. Default 6,000, Artifactory's default.
        public var aqlQueryLengthLimit: Int
        /// The permission targets Get Permission Targets Per User answers, by user name. Default:
        /// none (an empty list for every known user).
        public var permissionTargets: [String: [SimulatedPermissionTarget]] = [:]
        /// Users (or `token`, the user every accepted access token is) that are admins: they may
        /// read any user's permission targets. Default: none.
        public var admins: Set<String> = []
        /// The user an access token acts as, by token. Default: every token acts as `token`.
        public var tokenUsers: [String: String] = [:]
        /// The pauses before each retry of a webhook that failed (no answer, or not 2xx); after
        /// the last the delivery is written to the troubleshooting store. Default 200 ms and 400 ms
        /// (three attempts).
        public var webhookRetryDelays: [Duration] = [.milliseconds(200), .milliseconds(400)]
        /// How long one webhook attempt may take. Default 5 s.
        public var webhookTimeout: Duration = .seconds(5)
        /// Whether deliveries that succeeded are written to the troubleshooting store too, as
        /// Artifactory does in troubleshooting debug mode. Default `false`: failures only.
        public var recordSuccessfulDeliveries = false
        /// How far the simulator's clock is from the host's, for the time its troubleshooting
        /// records carry: `-10 minutes` makes deliveries that fail now look ten minutes old (catch-up
        /// reads records once they are five minutes old). Default zero.
        public var clockOffset: Duration = .zero

        public init(
            host: String = "127.0.0.1", port: Int = 0, contextPath: String = "artifactory", tokens: [String] = [],
            users: [String: String] = [:], repositories: [String] = [], version: String = "7.104.5", tls: TLS? = nil,
            aqlResultLimit: Int? = nil, aqlQueryLengthLimit: Int = 6000
        ) {
            self.aqlResultLimit = aqlResultLimit
            self.aqlQueryLengthLimit = aqlQueryLengthLimit
            self.host = host
            self.port = port
            self.contextPath = contextPath
            self.tokens = tokens
            self.users = users
            self.repositories = repositories
            self.version = version
            self.tls = tls
        }

        /// `http://HOST:PORT/CONTEXT` (https with TLS).
        public func baseURL(port: Int) -> URL {
            let scheme = tls == nil ? "http" : "https"
            let host = self.host.contains(":") ? "[\(self.host)]" : self.host
            let context = contextPath.split(separator: "/").joined(separator: "/")
            return URL(string: "\(scheme)://\(host):\(port)" + (context.isEmpty ? "" : "/" + context))!
        }
    }
}

import Foundation

extension PostgresEventStore {
    /// Settings of the PostgreSQL store. `description` never shows the password.
    public struct Configuration: Sendable, Equatable, CustomStringConvertible {
        /// Whether the connection is encrypted.
        public enum TLSMode: String, Sendable, CaseIterable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it, plain otherwise (default, like libpq).
            case prefer
            /// TLS or no connection; the server certificate is verified against the system's CAs.
            case require
        }

        /// Server host name or address.
        public var host: String
        /// Server port; default ``defaultPort``.
        public var port: Int
        /// The role to log in as.
        public var user: String
        /// The role's password, when the server asks for one (read from `password_file`).
        public var password: String?
        /// The database holding the schema.
        public var database: String
        /// Default ``defaultTLS``.
        public var tls: TLSMode
        /// The most connections this daemon opens; default ``defaultPoolSize``. One of them is held
        /// by the `LISTEN` for new jobs while the daemon runs.
        public var poolSize: Int
        /// How long each store call may take before it fails with ``DeadlinePassed`` (migrations
        /// excepted); default 10 s, as SQLite's busy timeout. It bounds how long a delivery waits
        /// for its 503 while the server is away, and a call on a connection that died, which would
        /// otherwise stall the worker and a graceful stop.
        public var operationTimeout: Duration = .seconds(10)

        /// PostgreSQL's own port, 5432.
        public static let defaultPort = 5432
        /// TLS when the server offers it, as libpq: `.prefer`.
        public static let defaultTLS = TLSMode.prefer
        /// 10 connections: the `LISTEN` and nine for the work.
        public static let defaultPoolSize = 10

        public init(
            host: String, port: Int = defaultPort, user: String, password: String? = nil, database: String,
            tls: TLSMode = defaultTLS, poolSize: Int = defaultPoolSize
        ) {
            self.host = host
            self.port = port
            self.user = user
            self.password = password
            self.database = database
            self.tls = tls
            self.poolSize = poolSize
        }

        /// Reads `postgres://USER@HOST[:PORT]/DATABASE` (or `postgresql://`). Returns `nil` for
        /// anything else, and for a URL that carries a password: passwords belong in a file, where
        /// they do not end up in logs, shell history or `ps`.
        public init?(
            url text: String, password: String? = nil, tls: TLSMode = defaultTLS, poolSize: Int = defaultPoolSize
        ) {
            guard let components = URLComponents(string: text),
                let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
                let host = components.host, !host.isEmpty,
                let user = components.user, !user.isEmpty,
                components.password == nil,
                components.query == nil, components.fragment == nil
            else { return nil }
            let database = String(components.path.dropFirst())
            guard components.path.hasPrefix("/"), !database.isEmpty, !database.contains("/") else { return nil }
            self.init(
                host: host, port: components.port ?? Self.defaultPort, user: user.removingPercentEncoding ?? user,
                password: password, database: database.removingPercentEncoding ?? database, tls: tls,
                poolSize: poolSize)
        }

        /// `postgres://user@host:port/database`, without the password.
        public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
    }
}

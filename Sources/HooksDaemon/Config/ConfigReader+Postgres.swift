import Foundation
import Storage
import YAMLDiagnostics

/// The PostgreSQL settings of `store:` (`postgres`, `password_file`/`password_env`, `tls`,
/// `pool_size`).
extension ConfigReader {
    /// `store.tls`: whether the connection to PostgreSQL is encrypted.
    static var postgresTLS: ConfigSetting<PostgresEventStore.Configuration.TLSMode> {
        ConfigSetting(
            "tls", parse: PostgresEventStore.Configuration.TLSMode.init(rawValue:),
            problem: { "unknown tls mode \"\($0)\"; use disable, prefer (default) or require" })
    }

    /// `store.pool_size`: at least 2, one of them listening for new jobs.
    static var poolSize: ConfigSetting<Int> {
        .count(
            "pool_size", minimum: 2,
            belowMinimum: "must be at least 2: one connection listens for new jobs, the others do the work")
    }

    /// The PostgreSQL settings of `store:`; the password comes from a file or a variable, never
    /// from the URL. `nil` when they are wrong (reported).
    func readPostgres(_ store: YAMLMappingReader, url: String, at node: YAMLNode?)
        -> PostgresEventStore.Configuration?
    {
        var tls = PostgresEventStore.Configuration.defaultTLS
        readFile(Self.postgresTLS, in: store, into: &tls)
        var poolSize = PostgresEventStore.Configuration.defaultPoolSize
        readFile(Self.poolSize, in: store, into: &poolSize)
        let password = readSecrets(
            store, fileKey: "password_file", envKey: "password_env", listKey: nil, neededByCommands: true
        ).first
        if Self.holdsPassword(url) {
            // Not echoed: the value holds the password.
            document.report(
                "the URL holds a password; put it in password_file (or password_env) and write postgres://USER@HOST:PORT/DATABASE",
                at: node)
            return nil
        }
        guard
            let configuration = PostgresEventStore.Configuration(
                url: url, password: password, tls: tls, poolSize: poolSize)
        else {
            document.report(
                "expected postgres://USER@HOST[:PORT]/DATABASE, found \"\(Self.withoutUserInfo(url))\"", at: node)
            return nil
        }
        return configuration
    }

    /// Whether a connection URL carries a password (`scheme://user:password@…`), read from its text
    /// so that a URL that does not parse (a `#` in the password) is caught too.
    static func holdsPassword(_ url: String) -> Bool {
        userInfo(of: url)?.contains(":") ?? false
    }

    /// `url` with a password before its host (`user:password@`) replaced by `user:…@`, for messages.
    static func withoutUserInfo(_ url: String) -> String {
        guard let info = userInfo(of: url), let colon = info.firstIndex(of: ":") else { return url }
        return url.replacingOccurrences(of: info + "@", with: info[..<colon] + ":…@")
    }

    /// The text between `://` and the last `@` of `url`, when it has both.
    private static func userInfo(of url: String) -> String? {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards),
            scheme.upperBound <= at.lowerBound
        else { return nil }
        return String(url[scheme.upperBound..<at.lowerBound])
    }
}

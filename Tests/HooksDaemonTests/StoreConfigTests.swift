import Foundation
import HooksDaemon
import HooksTestSupport
import Storage
import Testing
import YAMLDiagnostics

@Suite("Config loading: the store section")
struct StoreConfigTests {
    static let endpoints = "endpoints:\n  - name: main\n    auth: none\n"

    @Test("postgres with a password file, tls and pool size")
    func postgres() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("db-password", "s3cret-pw\n")
        let path = try directory.write(
            "config.yml",
            """
            store:
              postgres: postgres://hooks@db.example.com:6543/hooks
              password_file: db-password
              tls: require
              pool_size: 12
            \(Self.endpoints)
            """)
        let config = try DaemonConfig.load(path: path, environment: [:])
        let expected = PostgresEventStore.Configuration(
            host: "db.example.com", port: 6543, user: "hooks", password: "s3cret-pw", database: "hooks",
            tls: .require, poolSize: 12)
        #expect(config.store == .postgres(expected))
        #expect(expected.description == "postgres://hooks@db.example.com:6543/hooks")
        #expect(!"\(expected)".contains("s3cret-pw"))
    }

    @Test("defaults: port 5432, tls prefer, pool of 10; the environment overrides the URL")
    func defaultsAndOverride() throws {
        let text = "store:\n  postgres: postgresql://hooks@db/hooks\n" + Self.endpoints
        let config = try DaemonConfig.parse(text: text, file: "c.yml", environment: [:])
        #expect(
            config.store
                == .postgres(
                    .init(host: "db", port: 5432, user: "hooks", database: "hooks", tls: .prefer, poolSize: 10)))
        let overridden = try DaemonConfig.parse(
            text: Self.endpoints, file: "c.yml",
            environment: ["ARTIFACTORY_HOOKS_STORE_POSTGRES": "postgres://u@other:1/d"])
        #expect(overridden.store == .postgres(.init(host: "other", port: 1, user: "u", database: "d")))
    }

    @Test("every store problem is reported with its key, and a password in the URL is never echoed")
    func problems() throws {
        let text = """
            store:
              sqlite: x.sqlite
              postgres: postgres://hooks:hunter2@db/hooks
              tls: maybe
              pool_size: 1
            \(Self.endpoints)
            """
        do {
            _ = try DaemonConfig.parse(text: text, file: "c.yml", environment: [:])
            Issue.record("a broken store section loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            let expected = [
                #"c.yml:3:13: error: store.postgres: give one store: "sqlite" or "postgres", not both"#,
                #"c.yml:4:8: error: store.tls: unknown tls mode "maybe"; use disable, prefer (default) or require"#,
                #"c.yml:5:14: error: store.pool_size: must be at least 2: one connection listens for new jobs, the others do the work"#,
                #"c.yml:3:13: error: store.postgres: the URL holds a password; put it in password_file (or password_env) and write postgres://USER@HOST:PORT/DATABASE"#,
            ]
            #expect(Set(lines) == Set(expected), "\(lines.joined(separator: "\n"))")
            #expect(!lines.joined().contains("hunter2"))
        }
    }

    @Test("a malformed URL and PostgreSQL keys without postgres are errors")
    func malformed() throws {
        for (text, message) in [
            (
                "store:\n  postgres: mysql://u@h/d\n",
                #"c.yml:2:13: error: store.postgres: expected postgres://USER@HOST[:PORT]/DATABASE, found "mysql://u@h/d""#
            ),
            (
                "store:\n  postgres: postgres://u@h/\n",
                #"c.yml:2:13: error: store.postgres: expected postgres://USER@HOST[:PORT]/DATABASE, found "postgres://u@h/""#
            ),
            (
                "store:\n  sqlite: a.sqlite\n  tls: require\n",
                #"c.yml:3:8: error: store.tls: tls is a PostgreSQL setting; add postgres: URL or remove it"#
            ),
        ] {
            do {
                _ = try DaemonConfig.parse(text: text + Self.endpoints, file: "c.yml", environment: [:])
                Issue.record("loaded: \(text)")
            } catch {
                #expect(error.diagnostics.map(\.description) == [message])
            }
        }
    }
}

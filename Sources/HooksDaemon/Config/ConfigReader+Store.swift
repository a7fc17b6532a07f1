import Storage
import YAMLDiagnostics

/// `store:`: which engine holds the events, and where.
extension ConfigReader {
    static var storeKeys: [String] { ConfigFileSchema.store.keyNames }

    /// `store.sqlite`: the SQLite file, relative to the config file's directory.
    var sqlitePath: ConfigSetting<String> {
        ConfigSetting(
            "sqlite", variable: "ARTIFACTORY_HOOKS_STORE_SQLITE", parse: resolvePath,
            problem: { _ in "expected a file path" })
    }

    /// `store.synchronous`: SQLite's durability mode.
    static var synchronous: ConfigSetting<SQLiteEventStore.Synchronous> {
        ConfigSetting(
            "synchronous", variable: "ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS",
            parse: { SQLiteEventStore.Synchronous(rawValue: $0.uppercased()) },
            problem: { "unknown synchronous mode \"\($0)\"; use normal, full (default) or extra" },
            environmentProblem: { "use normal, full or extra, not \"\($0)\"" })
    }

    /// `ARTIFACTORY_HOOKS_STORE_POSTGRES`: the URL of `store.postgres`, which keeps the file's other
    /// PostgreSQL settings. Not echoed: a URL may hold a password.
    static var postgresOverride: ConfigSetting<PostgresEventStore.Configuration?> {
        ConfigSetting(
            "postgres", variable: "ARTIFACTORY_HOOKS_STORE_POSTGRES",
            parse: { text -> PostgresEventStore.Configuration?? in
                guard let configuration = PostgresEventStore.Configuration(url: text) else { return nil }
                return .some(configuration)
            },
            problem: { _ in "expected postgres://USER@HOST:PORT/DATABASE (no password)" })
    }

    /// `store:` holds exactly one engine: `sqlite: PATH` (with `synchronous`), or
    /// `postgres: URL` (with `password_file`/`password_env`, `tls`, `pool_size`). None: SQLite at
    /// ``DaemonConfig/defaultSQLitePath``. `nil` when the store cannot be built (reported).
    func readStore(_ top: YAMLMappingReader) -> DaemonConfig.Store? {
        var sqlite = SQLiteEventStore.Configuration(path: DaemonConfig.defaultSQLitePath)
        var postgres: PostgresEventStore.Configuration?
        var failed = false
        if let node = top.value("store"), let store = YAMLMappingReader(node, in: document) {
            store.rejectUnknownKeys(Self.storeKeys)
            if store.value("sqlite") != nil, store.value("postgres") != nil {
                document.report("give one store: \"sqlite\" or \"postgres\", not both", at: store.value("postgres"))
                failed = true
            }
            readFile(sqlitePath, in: store, into: &sqlite.path)
            readFile(Self.synchronous, in: store, into: &sqlite.synchronous)
            if let url = store.string("postgres") {
                postgres = readPostgres(store, url: url, at: store.value("postgres"))
                if postgres == nil { failed = true }
                if store.value("synchronous") != nil {
                    document.report(
                        "synchronous is a SQLite setting; PostgreSQL commits durably by its own settings",
                        at: store.value("synchronous"))
                }
            } else {
                for key in ["password_file", "password_env", "tls", "pool_size"] where store.value(key) != nil {
                    document.report(
                        "\(key) is a PostgreSQL setting; add postgres: URL or remove it", at: store.value(key))
                }
            }
        }
        var overridden: PostgresEventStore.Configuration?
        if !readEnvironment(Self.postgresOverride, into: &overridden) { failed = true }
        if var overridden {
            if let postgres {
                overridden.password = postgres.password
                overridden.tls = postgres.tls
                overridden.poolSize = postgres.poolSize
            }
            postgres = overridden
        }
        if postgres != nil, override("ARTIFACTORY_HOOKS_STORE_SQLITE") != nil {
            reportEnvironment("ARTIFACTORY_HOOKS_STORE_SQLITE", "set, but the store is PostgreSQL; give one store")
            failed = true
        }
        readEnvironment(sqlitePath, into: &sqlite.path)
        readEnvironment(Self.synchronous, into: &sqlite.synchronous)
        if failed { return nil }
        if let postgres { return .postgres(postgres) }
        return .sqlite(sqlite)
    }
}

import ArtifactoryAPI
import ArtifactoryEvents
import Foundation
import Storage
import YAMLDiagnostics

/// Walks a config document, reporting every problem to it, and builds a ``DaemonConfig``.
struct ConfigReader {
    let document: YAMLDocument
    let baseDirectory: String
    let environment: [String: String]
    /// With `.commands`, credentials other than the store's are not read (``unreadCredential``).
    var use: DaemonConfig.Use = .daemon

    /// What stands for a credential a command did not read; never sent anywhere.
    static let unreadCredential = "(not read by this command)"

    static let topLevelKeys = [
        "listen", "admin_listen", "admin", "store", "rules", "rules_poll_interval", "artifactory", "endpoints",
        "ingest",
        "worker", "tls", "trusted_proxies",
    ]

    func read() -> DaemonConfig? {
        guard let root = document.root, let top = YAMLMappingReader(root, in: document) else {
            if document.root == nil, !document.hasErrors {
                document.report("the config file is empty; see config/example.yml", at: nil)
            }
            return nil
        }
        top.rejectUnknownKeys(Self.topLevelKeys)

        let listen = readListen(top)
        let adminListen = readAdminListen(top)
        let admin = readAdmin(top)
        let store = readStore(top)
        let retention = readRetention(top)
        let rules = override("ARTIFACTORY_HOOKS_RULES").map(resolvePath) ?? top.string("rules").map(resolvePath)
        let artifactory = readArtifactory(top)
        let endpoints = readEndpoints(top)
        let ingest = readIngest(top)
        var pollInterval = Duration.seconds(2)
        if let text = top.string("rules_poll_interval") {
            if let parsed = DurationText.parse(text) {
                pollInterval = parsed
            } else {
                document.report(
                    DurationText.problem(text, example: "2s or 0 (reload on SIGHUP only)"),
                    at: top.value("rules_poll_interval"))
            }
        }
        let worker = readWorker(top)
        if let artifactory { checkLeaseOutlastsCalls(worker: worker, artifactory: artifactory, top: top) }
        checkRetentionCoversDedup(retention: retention, ingest: ingest, top: top)
        checkBufferCoversBody(ingest: ingest, top: top)
        let tls = readTLS(top)
        let trustedProxies = readAddressBlocks(top, "trusted_proxies")
        let storeMaxBytes = readStoreMaxBytes(top)
        guard let store else { return nil }
        var config = DaemonConfig(
            listen: listen, adminListen: adminListen, admin: admin, store: store, retention: retention,
            rulesDirectory: rules,
            rulesPollInterval: pollInterval, artifactory: artifactory, endpoints: endpoints, ingest: ingest,
            worker: worker, tls: tls, trustedProxies: trustedProxies)
        config.storeMaxBytes = storeMaxBytes
        return config
    }

    // MARK: Sections

    private func readListen(_ top: YAMLMappingReader) -> DaemonConfig.ListenAddress {
        let fallback = DaemonConfig.ListenAddress(host: "127.0.0.1", port: 8470)
        if let text = override("ARTIFACTORY_HOOKS_LISTEN") {
            guard let address = DaemonConfig.ListenAddress(parsing: text) else {
                reportEnvironment("ARTIFACTORY_HOOKS_LISTEN", "expected host:port, found \"\(text)\"")
                return fallback
            }
            return address
        }
        guard let text = top.string("listen") else { return fallback }
        guard let address = DaemonConfig.ListenAddress(parsing: text) else {
            document.report(
                "expected host:port (for example 127.0.0.1:8470), found \"\(text)\"", at: top.value("listen"))
            return fallback
        }
        return address
    }

    /// `store:` holds exactly one engine: `sqlite: PATH` (with `synchronous`), or
    /// `postgres: URL` (with `password_file`/`password_env`, `tls`, `pool_size`). None: SQLite at
    /// the default path.
    private func readStore(_ top: YAMLMappingReader) -> DaemonConfig.Store? {
        var path = "/var/lib/artifactory-hooks/events.sqlite"
        var synchronous = SQLiteEventStore.Synchronous.full
        var postgres: PostgresEventStore.Configuration?
        var failed = false
        if let node = top.value("store"), let store = YAMLMappingReader(node, in: document) {
            store.rejectUnknownKeys([
                "sqlite", "synchronous", "postgres", "password_file", "password_env", "tls", "pool_size", "retention",
                "retention_interval", "retention_batch", "max_bytes",
            ])
            if store.value("sqlite") != nil, store.value("postgres") != nil {
                document.report("give one store: \"sqlite\" or \"postgres\", not both", at: store.value("postgres"))
                failed = true
            }
            if let value = store.string("sqlite") { path = resolvePath(value) }
            if let value = store.string("synchronous") {
                if let parsed = SQLiteEventStore.Synchronous(rawValue: value.uppercased()) {
                    synchronous = parsed
                } else {
                    document.report(
                        "unknown synchronous mode \"\(value)\"; use normal, full (default) or extra",
                        at: store.value("synchronous"))
                }
            }
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
        if let value = override("ARTIFACTORY_HOOKS_STORE_POSTGRES") {
            if let parsed = PostgresEventStore.Configuration(url: value) {
                postgres = PostgresEventStore.Configuration(
                    host: parsed.host, port: parsed.port, user: parsed.user, password: postgres?.password,
                    database: parsed.database, tls: postgres?.tls ?? .prefer, poolSize: postgres?.poolSize ?? 10)
            } else {
                reportEnvironment(
                    "ARTIFACTORY_HOOKS_STORE_POSTGRES", "expected postgres://USER@HOST:PORT/DATABASE (no password)")
                failed = true
            }
        }
        if let value = override("ARTIFACTORY_HOOKS_STORE_SQLITE") {
            if postgres != nil {
                reportEnvironment("ARTIFACTORY_HOOKS_STORE_SQLITE", "set, but the store is PostgreSQL; give one store")
                failed = true
            }
            path = resolvePath(value)
        }
        if let value = override("ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS") {
            if let parsed = SQLiteEventStore.Synchronous(rawValue: value.uppercased()) {
                synchronous = parsed
            } else {
                reportEnvironment("ARTIFACTORY_HOOKS_STORE_SYNCHRONOUS", "use normal, full or extra, not \"\(value)\"")
            }
        }
        if failed { return nil }
        if let postgres { return .postgres(postgres) }
        return .sqlite(SQLiteEventStore.Configuration(path: path, synchronous: synchronous))
    }

    /// The PostgreSQL settings of `store:`; the password comes from a file or a variable, never
    /// from the URL.
    private func readPostgres(_ store: YAMLMappingReader, url: String, at node: YAMLNode?)
        -> PostgresEventStore.Configuration?
    {
        var tls = PostgresEventStore.Configuration.TLSMode.prefer
        if let value = store.string("tls") {
            if let parsed = PostgresEventStore.Configuration.TLSMode(rawValue: value) {
                tls = parsed
            } else {
                document.report(
                    "unknown tls mode \"\(value)\"; use disable, prefer (default) or require", at: store.value("tls"))
            }
        }
        var poolSize = 10
        if let value = store.integer("pool_size") {
            if value >= 2 {
                poolSize = value
            } else {
                document.report(
                    "must be at least 2: one connection listens for new jobs, the others do the work",
                    at: store.value("pool_size"))
            }
        }
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

    private func readArtifactory(_ top: YAMLMappingReader) -> DaemonConfig.Artifactory? {
        var urlText = override("ARTIFACTORY_HOOKS_ARTIFACTORY_URL")
        var urlNode: YAMLNode?
        var credential: ArtifactoryCredential?
        var timeout = Duration.seconds(30)
        var connectTimeout = Duration.seconds(10)
        var caFile: String?
        var project: String?
        if let node = top.value("artifactory"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys([
                "url", "token_file", "token_env", "user", "password_file", "password_env", "timeout",
                "connect_timeout", "ca_file", "project",
            ])
            urlNode = section.value("url")
            urlText = urlText ?? section.string("url")
            if urlText == nil { document.report("missing \"url\" (https://host/artifactory)", at: node) }
            // Credentials are resolved here so a missing token stops the daemon at start.
            credential = readCredential(section)
            timeout = readDuration(section, "timeout") ?? timeout
            connectTimeout = readDuration(section, "connect_timeout") ?? connectTimeout
            if let path = section.string("ca_file") {
                caFile = resolvePath(path)
                if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                    document.report(
                        "cannot read CA file \(caFile); give a PEM file of CA certificates",
                        at: section.value("ca_file"))
                }
            }
            project = section.string("project")
        }
        guard let urlText else { return nil }
        guard let url = URL(string: urlText), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            document.report("expected an http(s) URL such as https://artifactory.example.com/artifactory", at: urlNode)
            return nil
        }
        guard let credential else {
            if top.value("artifactory") == nil {
                reportEnvironment(
                    "ARTIFACTORY_HOOKS_ARTIFACTORY_URL", "set, but no artifactory section gives a credential")
            }
            return nil
        }
        return DaemonConfig.Artifactory(
            url: url, credential: credential, timeout: timeout, connectTimeout: connectTimeout, caFile: caFile,
            project: project)
    }

    /// Whether `name` is letters, digits, `-`, `_` and `.` only (ASCII), and not empty. Checked on
    /// bytes: a regular expression cost a few milliseconds of every command's start.
    static func isEndpointName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    private func readDuration(_ section: YAMLMappingReader, _ key: String) -> Duration? {
        guard let text = section.string(key) else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            document.report(DurationText.problem(text, example: "500ms, 30s or 2m"), at: section.value(key))
            return nil
        }
        return duration
    }

    private func readCredential(_ section: YAMLMappingReader) -> ArtifactoryCredential? {
        let tokens = readSecrets(section, fileKey: "token_file", envKey: "token_env", listKey: nil)
        if let user = section.string("user") {
            let passwords = readSecrets(section, fileKey: "password_file", envKey: "password_env", listKey: nil)
            if passwords.isEmpty {
                document.report("\"user\" needs password_file or password_env", at: section.value("user"))
            }
            return passwords.first.map { .basic(user: user, password: $0) }
        }
        if tokens.isEmpty {
            document.report(
                "no credential: set token_file or token_env (an access token), or user with password_file",
                at: section.node)
        }
        return tokens.first.map { .accessToken($0) }
    }

    private func readEndpoints(_ top: YAMLMappingReader) -> [DaemonConfig.Endpoint] {
        guard let node = top.value("endpoints") else {
            document.report("missing \"endpoints\": at least one webhook endpoint is needed", at: top.node)
            return []
        }
        guard let items = node.items, !items.isEmpty else {
            let found = node.items == nil ? node.typeName : "an empty list"
            document.report("expected a list of endpoints, found \(found)", at: node)
            return []
        }
        var seen: Set<String> = []
        var endpoints: [DaemonConfig.Endpoint] = []
        for item in items {
            guard let endpoint = YAMLMappingReader(item, in: document) else { continue }
            endpoint.rejectUnknownKeys([
                "name", "auth", "secret_file", "secret_env", "secrets", "allow_from", "rate_limit",
            ])
            guard let name = endpoint.string("name") else {
                document.report("missing \"name\" (the URL segment after /webhooks/)", at: item)
                continue
            }
            if !Self.isEndpointName(name) {
                document.report("name may contain letters, digits, '-', '_' and '.' only", at: endpoint.value("name"))
            }
            if !seen.insert(name).inserted {
                document.report("endpoint \"\(name)\" is defined twice", at: endpoint.value("name"))
            }
            let auth = readAuth(endpoint)
            let secrets = readSecrets(endpoint, fileKey: "secret_file", envKey: "secret_env", listKey: "secrets")
            if let auth {
                if auth == .none, !secrets.isEmpty {
                    document.report(
                        "auth: none takes no secret; remove the secrets or choose an auth mode",
                        at: endpoint.value("auth"))
                } else if auth != .none, secrets.isEmpty, !hasSecretKey(endpoint) {
                    document.report(
                        "endpoint \"\(name)\" has no secret: add secret_file, secret_env or secrets, or write `auth: none` to accept unsigned deliveries",
                        at: item)
                }
                endpoints.append(
                    DaemonConfig.Endpoint(
                        name: name, auth: auth, secrets: secrets,
                        allowFrom: readAddressBlocks(endpoint, "allow_from"), rateLimit: readRateLimit(endpoint)))
            }
        }
        return endpoints
    }

    private func readAuth(_ endpoint: YAMLMappingReader) -> AuthMode? {
        guard let text = endpoint.string("auth") else {
            document.report(
                "missing \"auth\": use token, hmac-sha256, hmac-sha1 or none", at: endpoint.node)
            return nil
        }
        guard let mode = AuthMode(rawValue: text) else {
            let known = AuthMode.allCases.map(\.rawValue)
            var message = "unknown auth mode \"\(text)\"; use \(known.joined(separator: ", "))"
            if let guess = closest(to: text, in: known) { message += " (did you mean \"\(guess)\"?)" }
            document.report(message, at: endpoint.value("auth"))
            return nil
        }
        return mode
    }

    /// `key` of `section` as a timeout where `0` means never (`.some(nil)`); `nil` when absent or
    /// wrong (reported at its line).
    private func timeout(_ key: String, in section: YAMLMappingReader, example: String) -> Duration?? {
        guard let text = section.string(key) else { return nil }
        guard let timeout = DurationText.parse(text) else {
            document.report(DurationText.problem(text, example: example), at: section.value(key))
            return nil
        }
        return .some(timeout == .zero ? nil : timeout)
    }

    private func readIngest(_ top: YAMLMappingReader) -> DaemonConfig.Ingest {
        var ingest = DaemonConfig.Ingest()
        if let node = top.value("ingest"), let section = YAMLMappingReader(node, in: document) {
            section.rejectUnknownKeys([
                "max_body_bytes", "dedup_window", "idle_timeout", "body_timeout", "max_buffered_bytes",
                "max_connections",
            ])
            if let text = section.string("max_body_bytes") {
                if let bytes = ByteCount.parse(text), bytes > 0 {
                    ingest.maxBodyBytes = bytes
                } else {
                    document.report(
                        "expected a size such as 1048576, 512KiB or 1MiB, found \"\(text)\"",
                        at: section.value("max_body_bytes"))
                }
            }
            if let text = section.string("dedup_window") {
                if let window = DurationText.parse(text) {
                    ingest.dedupWindow = window
                } else {
                    document.report(
                        DurationText.problem(text, example: "30s, 5m, 1h or 0 (off)"),
                        at: section.value("dedup_window"))
                }
            }
            if let timeout = timeout("idle_timeout", in: section, example: "30s, 2m or 0 (never)") {
                ingest.idleTimeout = timeout
            }
            if let timeout = timeout("body_timeout", in: section, example: "10s, 1m or 0 (never)") {
                ingest.bodyTimeout = timeout
            }
            if let text = section.string("max_buffered_bytes") {
                if let bytes = ByteCount.parse(text), bytes > 0 {
                    ingest.maxBufferedBytes = bytes
                } else {
                    document.report(
                        "expected a size such as 64MiB or 67108864, found \"\(text)\"",
                        at: section.value("max_buffered_bytes"))
                }
            }
            readConnectionCap(section, into: &ingest.maxConnections)
        }
        readConnectionCap("ARTIFACTORY_HOOKS_INGEST_MAX_CONNECTIONS", into: &ingest.maxConnections)
        if let text = override("ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES") {
            if let bytes = ByteCount.parse(text), bytes > 0 {
                ingest.maxBodyBytes = bytes
            } else {
                reportEnvironment("ARTIFACTORY_HOOKS_INGEST_MAX_BODY_BYTES", "expected a size, found \"\(text)\"")
            }
        }
        if let text = override("ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW") {
            if let window = DurationText.parse(text) {
                ingest.dedupWindow = window
            } else {
                reportEnvironment(
                    "ARTIFACTORY_HOOKS_INGEST_DEDUP_WINDOW", DurationText.problem(text, example: "30s, 5m or 1h"))
            }
        }
        if let text = override("ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES") {
            if let bytes = ByteCount.parse(text), bytes > 0 {
                ingest.maxBufferedBytes = bytes
            } else {
                reportEnvironment("ARTIFACTORY_HOOKS_INGEST_MAX_BUFFERED_BYTES", "expected a size, found \"\(text)\"")
            }
        }
        return ingest
    }

    /// A body of the largest size accepted must fit in the budget of buffered bytes, or it would
    /// be refused for ever.
    private func checkBufferCoversBody(ingest: DaemonConfig.Ingest, top: YAMLMappingReader) {
        guard ingest.maxBufferedBytes < ingest.maxBodyBytes else { return }
        let message =
            "ingest.max_buffered_bytes (\(ingest.maxBufferedBytes)) is smaller than ingest.max_body_bytes "
            + "(\(ingest.maxBodyBytes)): a delivery of the largest size accepted would never fit; raise "
            + "max_buffered_bytes or lower max_body_bytes"
        report(message, atFirstOf: [("ingest", "max_buffered_bytes"), ("ingest", "max_body_bytes")], in: top)
    }

    private func readWorker(_ top: YAMLMappingReader) -> DaemonConfig.Worker {
        var worker = DaemonConfig.Worker()
        guard let node = top.value("worker"), let section = YAMLMappingReader(node, in: document) else { return worker }
        section.rejectUnknownKeys([
            "concurrency", "max_attempts", "max_age", "backoff_base", "backoff_max", "lease", "self_caused_window",
            "max_hops", "drain_timeout", "max_pending",
        ])
        func count(_ key: String, _ target: inout Int, minimum: Int) {
            guard let value = section.integer(key) else { return }
            if value >= minimum {
                target = value
            } else {
                document.report("must be at least \(minimum)", at: section.value(key))
            }
        }
        func duration(_ key: String, _ target: inout Duration) {
            guard let text = section.string(key) else { return }
            if let value = DurationText.parse(text), value > .zero {
                target = value
            } else {
                document.report(
                    DurationText.problem(text, example: "500ms, 30s, 5m or 24h"), at: section.value(key))
            }
        }
        count("concurrency", &worker.concurrency, minimum: 1)
        count("max_attempts", &worker.maxAttempts, minimum: 1)
        count("max_hops", &worker.maxHops, minimum: 1)
        count("max_pending", &worker.maxPending, minimum: 1)
        duration("max_age", &worker.maxAge)
        duration("backoff_base", &worker.backoffBase)
        duration("backoff_max", &worker.backoffMax)
        duration("lease", &worker.lease)
        duration("self_caused_window", &worker.selfCausedWindow)
        duration("drain_timeout", &worker.drainTimeout)
        return worker
    }

    /// A job starts with at least half its lease left and its call may take the whole
    /// `artifactory.timeout`: a shorter lease could run out during the call, and the job would be
    /// leased and called again while the first call still waits for its answer.
    private func checkLeaseOutlastsCalls(
        worker: DaemonConfig.Worker, artifactory: DaemonConfig.Artifactory, top: YAMLMappingReader
    ) {
        guard worker.lease < artifactory.timeout * 2 else { return }
        let message =
            "worker.lease (\(DurationText.format(worker.lease))) must be at least twice artifactory.timeout "
            + "(\(DurationText.format(artifactory.timeout))): a job starts with half its lease left at the least, "
            + "and a lease that ends during a call lets the same job be called again; raise the lease or lower the timeout"
        report(message, atFirstOf: [("worker", "lease"), ("artifactory", "timeout")], in: top)
    }

    /// Retention must keep an event at least as long as a redelivery of it is recognised: the
    /// fingerprint goes with the event.
    private func checkRetentionCoversDedup(
        retention: DaemonConfig.Retention, ingest: DaemonConfig.Ingest, top: YAMLMappingReader
    ) {
        guard let maxAge = retention.maxAge, maxAge < ingest.dedupWindow else { return }
        let message =
            "store.retention (\(DurationText.format(maxAge))) is shorter than ingest.dedup_window "
            + "(\(DurationText.format(ingest.dedupWindow))): an event pruned inside the window would not be "
            + "recognised when Artifactory sends it again; keep events at least as long as the window"
        report(message, atFirstOf: [("store", "retention")], in: top)
    }

    /// Reports `message` at the value of the first `section.key` the file writes, or without a
    /// place when it writes none of them (the value came from a default or the environment).
    private func report(_ message: String, atFirstOf keys: [(section: String, key: String)], in top: YAMLMappingReader)
    {
        let nodes = keys.lazy.compactMap { section, key in
            top.value(section)?.entries?.first { $0.key == key }?.value
        }
        if let node = nodes.first {
            document.report(message, at: node)
        } else {
            document.reportUnlocated(message)
        }
    }

    // MARK: Secrets

    private func hasSecretKey(_ section: YAMLMappingReader) -> Bool {
        ["secret_file", "secret_env", "secrets"].contains { section.value($0) != nil }
    }

    /// Reads `fileKey`, `envKey` and (optionally) a `listKey` of `{file: …}`, `{env: …}` or literal
    /// items; reports unreadable files, unset variables and empty secrets.
    private func readSecrets(
        _ section: YAMLMappingReader, fileKey: String, envKey: String, listKey: String?, neededByCommands: Bool = false
    ) -> [String] {
        if use == .commands, !neededByCommands {
            let given = [fileKey, envKey, listKey].contains { $0.map { section.value($0) != nil } ?? false }
            return given ? [Self.unreadCredential] : []
        }
        var secrets: [String] = []
        if let name = section.string(fileKey), let secret = secretFromFile(name, at: section.value(fileKey)) {
            secrets.append(secret)
        }
        if let variable = section.string(envKey),
            let secret = secretFromEnvironment(variable, at: section.value(envKey))
        {
            secrets.append(secret)
        }
        if let listKey, let list = section.value(listKey) {
            guard let items = list.items, !items.isEmpty else {
                let found = list.items == nil ? list.typeName : "an empty list"
                document.report(
                    "expected a list of secrets ({file: …}, {env: …} or text), found \(found)", at: list)
                return secrets
            }
            for item in items {
                if let literal = item.scalar {
                    // `- ~` or `- null` is YAML's null, not the text "null": never a secret.
                    if literal.isEmpty || item.isNull {
                        document.report("an empty secret is not a secret", at: item)
                    } else {
                        secrets.append(literal)
                    }
                } else if let entry = YAMLMappingReader(item, in: document) {
                    let strayKey = entry.rejectUnknownKeysWithoutEchoing(
                        ["file", "env"], hint: "a secret written in the list with \": \" in it needs quotes")
                    if let name = entry.string("file"), let secret = secretFromFile(name, at: entry.value("file")) {
                        secrets.append(secret)
                    } else if let variable = entry.string("env"),
                        let secret = secretFromEnvironment(variable, at: entry.value("env"))
                    {
                        secrets.append(secret)
                    } else if !strayKey, entry.value("file") == nil, entry.value("env") == nil {
                        document.report("a secret entry needs \"file\" or \"env\"", at: item)
                    }
                }
            }
        }
        return secrets
    }

    private func secretFromFile(_ name: String, at node: YAMLNode?) -> String? {
        let path = resolveCredentialPath(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            document.report("cannot read secret file \(path); create it (mode 0600) or fix the path", at: node)
            return nil
        }
        let secret = SecretFileText.secret(in: data)
        guard !secret.isEmpty else {
            document.report("secret file \(path) is empty", at: node)
            return nil
        }
        guard !secret.allSatisfy(\.isWhitespace) else {
            document.report("secret file \(path) holds only spaces; write the secret into it", at: node)
            return nil
        }
        return secret
    }

    private func secretFromEnvironment(_ variable: String, at node: YAMLNode?) -> String? {
        // A trailing newline (an environment file written on Windows leaves "\r") is ignored, as in files.
        guard let secret = environment[variable]?.trimmingCharacters(in: .newlines), !secret.isEmpty else {
            document.report(
                "environment variable \(variable) is not set or empty; export it or use secret_file", at: node)
            return nil
        }
        guard !secret.allSatisfy(\.isWhitespace) else {
            document.report("environment variable \(variable) holds only spaces; set it to the secret", at: node)
            return nil
        }
        return secret
    }

    // MARK: Paths and overrides

    func resolvePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardized.path
    }

    /// A bare name is a systemd credential when `$CREDENTIALS_DIRECTORY` holds it.
    func resolveCredentialPath(_ name: String) -> String {
        if !name.contains("/"), let directory = environment["CREDENTIALS_DIRECTORY"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return resolvePath(name)
    }

    func override(_ variable: String) -> String? {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    func reportEnvironment(_ variable: String, _ message: String) {
        document.reportUnlocated("environment variable \(variable): \(message)")
    }
}

import ArtifactoryEvents
import Rules
import YAMLDiagnostics

/// `endpoints:`: the webhook endpoints, each `POST /webhooks/{name}` with its auth mode, secrets and
/// `accept:` filter.
extension ConfigReader {
    func readEndpoints(_ top: YAMLMappingReader) -> [DaemonConfig.Endpoint] {
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
            endpoint.rejectUnknownKeys(ConfigFileSchema.endpoint.keyNames)
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
                        allowFrom: readAddressBlocks(endpoint, "allow_from"), rateLimit: readRateLimit(endpoint),
                        accept: endpoint.value("accept").flatMap { EventFilter($0, keyPath: $0.keyPath, in: document) })
                )
            }
        }
        return endpoints
    }

    func readAuth(_ endpoint: YAMLMappingReader) -> AuthMode? {
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
}

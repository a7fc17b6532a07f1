import ArtifactoryAPI
import Foundation
import YAMLDiagnostics

/// `targets:`: the outbound services the rules' `http:` calls name, each with its URL, credential,
/// signing, timeouts and own concurrency.
extension ConfigReader {
    static var targetKeys: [String] { ConfigFileSchema.target.keyNames }
    static var targetAuthModes: [String] { ConfigFileSchema.targetAuthModes }
    static var signSchemes: [String] { ConfigFileSchema.signSchemes }

    func readTargets(_ top: YAMLMappingReader) -> [DaemonConfig.Target] {
        guard let node = top.value("targets") else { return [] }
        guard let items = node.items else {
            document.report("expected a list of targets, found \(node.typeName)", at: node)
            return []
        }
        var seen: Set<String> = []
        var targets: [DaemonConfig.Target] = []
        for item in items {
            guard let section = YAMLMappingReader(item, in: document) else { continue }
            section.rejectUnknownKeys(Self.targetKeys)
            guard let name = section.string("name") else {
                document.report("missing \"name\" (what rules write after target:)", at: item)
                continue
            }
            if !Self.isTargetName(name) {
                document.report(
                    "a target name starts with a letter and holds letters, digits, '-' and '_' only",
                    at: section.value("name"))
            }
            if !seen.insert(name).inserted {
                document.report("target \"\(name)\" is defined twice", at: section.value("name"))
            }
            if let target = readTarget(section, name: name) { targets.append(target) }
        }
        return targets
    }

    private func readTarget(_ section: YAMLMappingReader, name: String) -> DaemonConfig.Target? {
        let url = readTargetURL(section)
        let auth = readTargetAuth(section)
        let signing = section.value("sign").flatMap(readSigning)
        var timeout = Duration.seconds(30)
        var connectTimeout = Duration.seconds(10)
        readFile(Self.artifactoryTimeout("timeout"), in: section, into: &timeout)
        readFile(Self.artifactoryTimeout("connect_timeout"), in: section, into: &connectTimeout)
        var concurrency = DaemonConfig.Target.defaultConcurrency
        readFile(.count("concurrency", minimum: 1), in: section, into: &concurrency)
        var caFile: String?
        if let path = section.string("ca_file") {
            caFile = resolvePath(path)
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                document.report(
                    "cannot read CA file \(caFile); give a PEM file of CA certificates", at: section.value("ca_file"))
            }
        }
        let success = section.value("success").flatMap(readStatuses)
        let retry = section.value("retry").flatMap(readStatuses)
        if let success, let retry, !success.isDisjoint(with: retry) {
            document.report("a status cannot be both success and retry", at: section.value("retry"))
        }
        guard let url, let auth else { return nil }
        var client = TargetClient.Configuration(
            name: name, baseURL: url.url, auth: auth, signing: signing, requestTimeout: timeout,
            connectTimeout: connectTimeout, caFile: caFile, successStatuses: success, retryStatuses: retry)
        client.urlIsSecret = url.secret
        return DaemonConfig.Target(client: client, concurrency: concurrency)
    }

    /// The base URL from `url`, or from the file `url_file` names when the URL itself is a
    /// credential (a Slack or Teams incoming-webhook URL); commands do not read that file.
    private func readTargetURL(_ section: YAMLMappingReader) -> (url: URL, secret: Bool)? {
        if section.value("url") != nil, section.value("url_file") != nil {
            document.report("give url or url_file, not both", at: section.value("url_file"))
            return nil
        }
        if section.value("url_file") != nil {
            if use == .commands { return (Self.unreadTargetURL, true) }
            guard let name = section.string("url_file"), let text = secretFromFile(name, at: section.value("url_file"))
            else { return nil }
            // The file's URL is a credential: no message quotes it.
            return checkedTargetURL(text, allowQuery: true, section: section, at: section.value("url_file"))
                .map { ($0, true) }
        }
        guard let text = section.string("url") else {
            document.report(
                "missing \"url\" (the service's base URL, https://…), or url_file when the URL is a secret",
                at: section.node)
            return nil
        }
        return checkedTargetURL(text, allowQuery: false, section: section, at: section.value("url")).map { ($0, false) }
    }

    /// `text` as a target's base URL: http(s) with a host, no user or fragment, a query only in a
    /// `url_file`, plain http only with `allow_plain_http: true`. A secret URL (`allowQuery`) is
    /// never quoted in a message.
    private func checkedTargetURL(_ text: String, allowQuery: Bool, section: YAMLMappingReader, at node: YAMLNode?)
        -> URL?
    {
        let shown = allowQuery ? "the URL in the file" : text
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil, allowQuery || url.query == nil, url.fragment == nil, url.user == nil
        else {
            let expected =
                allowQuery
                ? "the file must hold one http(s) URL with a host and no user or fragment"
                : "expected an http(s) URL with a host and no query, user or fragment, such as "
                    + "https://hooks.example.com/deploy (a URL that holds a secret goes in url_file)"
            document.report(expected, at: node)
            return nil
        }
        if scheme == "http", section.boolean("allow_plain_http") != true {
            document.report(
                "\(shown) is plain HTTP: the credential and the body would cross the network in the clear; "
                    + "use https, or write allow_plain_http: true for a receiver on a trusted network",
                at: node)
            return nil
        }
        return url
    }

    private func readTargetAuth(_ section: YAMLMappingReader) -> TargetAuth? {
        guard let mode = section.string("auth") else {
            document.report("missing \"auth\" (\(Self.targetAuthModes.joined(separator: ", ")))", at: section.node)
            return nil
        }
        let secretKeys = ["token_file", "password_file", "value_file"]
        let allowed: [String: [String]] = [
            "bearer": ["token_file"], "basic": ["user", "password_file"], "header": ["header", "value_file"],
            "none": [],
        ]
        guard let needs = allowed[mode] else {
            var message = "unknown auth \"\(mode)\""
            if let suggestion = closest(to: mode, in: Self.targetAuthModes) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; use \(Self.targetAuthModes.joined(separator: ", "))"
            }
            document.report(message, at: section.value("auth"))
            return nil
        }
        for key in secretKeys + ["user", "header"] where section.value(key) != nil && !needs.contains(key) {
            document.report("auth: \(mode) takes no \(key)", at: section.value(key))
        }
        for key in needs where section.value(key) == nil {
            document.report("auth: \(mode) needs \(key)", at: section.node)
            return nil
        }
        func secret(_ key: String) -> String? { targetSecret(section, key) }
        switch mode {
        case "bearer": return secret("token_file").map { .bearer(token: $0) }
        case "basic":
            guard let user = section.string("user") else { return nil }
            return secret("password_file").map { .basic(user: user, password: $0) }
        case "header":
            guard let header = section.string("header"), Self.isHeaderName(header) else {
                document.report("expected a header name such as X-Api-Key", at: section.value("header"))
                return nil
            }
            return secret("value_file").map { .header(name: header, value: $0) }
        default: return TargetAuth.none
        }
    }

    private func readSigning(_ node: YAMLNode) -> TargetSigning? {
        guard let sign = YAMLMappingReader(node, in: document) else { return nil }
        sign.rejectUnknownKeys(ConfigFileSchema.sign.keyNames)
        guard let scheme = sign.string("scheme"), Self.signSchemes.contains(scheme) else {
            document.report("sign needs scheme: \(Self.signSchemes.joined(separator: " or "))", at: node)
            return nil
        }
        guard sign.value("secret_file") != nil else {
            document.report("sign needs secret_file", at: node)
            return nil
        }
        guard let secret = targetSecret(sign, "secret_file") else { return nil }
        let unread = secret == Self.unreadCredential
        if scheme == "standard-webhooks" {
            if sign.value("header") != nil {
                document.report("standard-webhooks writes its own headers; remove header", at: sign.value("header"))
            }
            if unread { return .standardWebhooks(key: [0]) }
            guard let key = TargetSigning.standardWebhooksKey(secret) else {
                document.report(
                    "the secret file does not hold a Standard Webhooks secret (whsec_ followed by base64)",
                    at: sign.value("secret_file"))
                return nil
            }
            return .standardWebhooks(key: key)
        }
        guard let header = sign.string("header"), Self.isHeaderName(header) else {
            document.report("hmac-sha256 needs header: with the header name, such as X-Signature", at: node)
            return nil
        }
        return .hmacSHA256(header: header, secret: Array(secret.utf8))
    }

    private func readStatuses(_ node: YAMLNode) -> Set<Int>? {
        guard let items = node.items, !items.isEmpty else {
            document.report("expected a list of HTTP statuses such as [200, 202]", at: node)
            return nil
        }
        var statuses: Set<Int> = []
        for item in items {
            guard let status = item.scalar.flatMap({ Int($0) }), (100..<600).contains(status) else {
                document.report("expected an HTTP status (100-599), found \(item.scalar ?? item.typeName)", at: item)
                continue
            }
            statuses.insert(status)
        }
        return statuses
    }

    /// A call must end well inside its job's lease, or a second worker could send it again while
    /// it is still under way: `timeout` at most half of `worker.lease`, as for Artifactory.
    func checkTargetsFitLease(_ targets: [DaemonConfig.Target], worker: DaemonConfig.Worker, top: YAMLMappingReader) {
        for (index, target) in targets.enumerated() where target.client.requestTimeout * 2 > worker.lease {
            let node = top.value("targets")?.items?[index]
            document.report(
                "target \(target.name): timeout \(target.client.requestTimeout) is more than half of worker.lease "
                    + "(\(worker.lease)); lower the timeout or raise the lease", at: node)
        }
    }

    /// The secret in the file `key` names (or the systemd credential); a command that sends
    /// nothing does not read it.
    private func targetSecret(_ section: YAMLMappingReader, _ key: String) -> String? {
        if use == .commands { return section.value(key) != nil ? Self.unreadCredential : nil }
        guard let name = section.string(key) else { return nil }
        return secretFromFile(name, at: section.value(key))
    }

    /// Whether `text` is an HTTP token (RFC 9110), as header names are.
    static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
            }
    }

    static func isTargetName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}

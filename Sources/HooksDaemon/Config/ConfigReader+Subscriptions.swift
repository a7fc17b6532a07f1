import ArtifactoryEvents
import Foundation
import Rules
import YAMLDiagnostics

/// `subscriptions:`: the webhook subscriptions `subscriptions plan/apply` keep in Artifactory's
/// Event API, each naming one of the configured endpoints.
extension ConfigReader {
    static var subscriptionsKeys: [String] { ConfigFileSchema.subscriptions.keyNames }
    static var subscriptionKeys: [String] { ConfigFileSchema.subscription.keyNames }

    /// One `criteria` key: its name in the config, its name in the Event API, and whether it is a
    /// flag or a list. Every member of a domain is sent, `false` or empty when not written, as the
    /// API's samples send them.
    struct CriterionKey {
        var key: String
        var apiName: String
        var isFlag: Bool
    }

    static let patternCriteria = [
        CriterionKey(key: "include_patterns", apiName: "includePatterns", isFlag: false),
        CriterionKey(key: "exclude_patterns", apiName: "excludePatterns", isFlag: false),
    ]
    static let repositoryCriteria =
        [
            CriterionKey(key: "any_local", apiName: "anyLocal", isFlag: true),
            CriterionKey(key: "any_remote", apiName: "anyRemote", isFlag: true),
            CriterionKey(key: "any_federated", apiName: "anyFederated", isFlag: true),
            CriterionKey(key: "repos", apiName: "repoKeys", isFlag: false),
        ] + patternCriteria
    static let buildCriteria =
        [
            CriterionKey(key: "any_build", apiName: "anyBuild", isFlag: true),
            CriterionKey(key: "builds", apiName: "selectedBuilds", isFlag: false),
        ] + patternCriteria
    static let releaseBundleCriteria =
        [
            CriterionKey(key: "any_release_bundle", apiName: "anyReleaseBundle", isFlag: true),
            CriterionKey(key: "release_bundles", apiName: "registeredReleaseBundlesNames", isFlag: false),
        ] + patternCriteria

    /// The criteria a domain's subscriptions take (the Event API's table); `nil`: none.
    static func criteriaKeys(of domain: EventDomain) -> [CriterionKey]? {
        switch domain {
        case .artifact, .artifactProperty, .docker: repositoryCriteria
        case .build: buildCriteria
        case .releaseBundle, .distribution, .artifactoryReleaseBundle, .destination: releaseBundleCriteria
        default: nil
        }
    }

    func readSubscriptions(_ top: YAMLMappingReader, endpoints: [DaemonConfig.Endpoint]) -> DaemonConfig.Subscriptions {
        var subscriptions = DaemonConfig.Subscriptions()
        guard let node = top.value("subscriptions"), let section = YAMLMappingReader(node, in: document) else {
            return subscriptions
        }
        section.rejectUnknownKeys(Self.subscriptionsKeys)
        subscriptions.keyPrefix = section.string("key_prefix")
        if let prefix = subscriptions.keyPrefix, !Self.isSubscriptionKey(prefix) {
            document.report(
                "a key prefix holds letters, digits, '-', '_' and '.' only", at: section.value("key_prefix"))
        }
        if let text = section.string("public_url") {
            subscriptions.publicURL = webhookURL(text, at: section.value("public_url"))
        }
        guard let list = section.value("webhooks") else { return subscriptions }
        guard let items = list.items else {
            document.report("expected a list of subscriptions, found \(list.typeName)", at: list)
            return subscriptions
        }
        var seen: Set<String> = []
        for item in items {
            guard let entry = YAMLMappingReader(item, in: document) else { continue }
            entry.rejectUnknownKeys(Self.subscriptionKeys)
            guard let key = entry.string("key") else {
                document.report("missing \"key\" (the subscription's key in Artifactory)", at: item)
                continue
            }
            if !Self.isSubscriptionKey(key) {
                document.report("a key holds letters, digits, '-', '_' and '.' only", at: entry.value("key"))
            } else if let prefix = subscriptions.keyPrefix, !key.hasPrefix(prefix) {
                document.report("the key does not start with key_prefix \"\(prefix)\"", at: entry.value("key"))
            }
            if !seen.insert(key).inserted {
                document.report("subscription \"\(key)\" is defined twice", at: entry.value("key"))
            }
            if let subscription = readSubscription(
                entry, key: key, endpoints: endpoints, publicURL: subscriptions.publicURL)
            {
                subscriptions.webhooks.append(subscription)
            }
        }
        return subscriptions
    }

    private func readSubscription(
        _ entry: YAMLMappingReader, key: String, endpoints: [DaemonConfig.Endpoint], publicURL: URL?
    ) -> DaemonConfig.Subscription? {
        let endpoint = readSubscriptionEndpoint(entry, endpoints: endpoints)
        let domain = readSubscriptionDomain(entry)
        let eventTypes = domain.flatMap { readEventTypes(entry, domain: $0) }
        let criteria = domain.flatMap { readCriteria(entry, domain: $0) }
        var url: URL?
        if let text = entry.string("url") {
            url = webhookURL(text, at: entry.value("url"))
        } else if let publicURL, let endpoint {
            url = publicURL.appendingPathComponent("webhooks").appendingPathComponent(endpoint.name)
        } else if entry.value("url") == nil, publicURL == nil {
            document.report(
                "missing \"url\": give the URL Artifactory calls, or subscriptions.public_url", at: entry.node)
        }
        if let endpoint, let url, endpoint.auth == .token, url.scheme?.lowercased() == "http" {
            document.report(
                "endpoint \"\(endpoint.name)\" uses auth: token, so the secret itself would cross the network "
                    + "in a header over plain HTTP; use an https URL or an hmac-sha256 endpoint",
                at: entry.value("url") ?? entry.value("endpoint"))
            return nil
        }
        let description = entry.value("description") == nil ? "" : entry.string("description")
        let enabled = entry.value("enabled") == nil ? true : entry.boolean("enabled")
        let proxy = entry.string("proxy")
        guard let endpoint, let url, let domain, let eventTypes, let criteria, let description, let enabled else {
            return nil
        }
        return DaemonConfig.Subscription(
            key: key, description: description, enabled: enabled, endpoint: endpoint.name, url: url.absoluteString,
            domain: domain, eventTypes: eventTypes, criteria: criteria, proxy: proxy,
            useSecretForSigning: endpoint.auth == .hmacSHA256)
    }

    private func readSubscriptionEndpoint(_ entry: YAMLMappingReader, endpoints: [DaemonConfig.Endpoint])
        -> DaemonConfig.Endpoint?
    {
        guard let name = entry.string("endpoint") else {
            document.report("missing \"endpoint\" (the configured endpoint Artifactory delivers to)", at: entry.node)
            return nil
        }
        guard let endpoint = endpoints.first(where: { $0.name == name }) else {
            var message = "unknown endpoint \"\(name)\""
            if let guess = closest(to: name, in: endpoints.map(\.name)) { message += "; did you mean \"\(guess)\"?" }
            document.report(message, at: entry.value("endpoint"))
            return nil
        }
        switch endpoint.auth {
        case .token, .hmacSHA256:
            return endpoint
        case .hmacSHA1:
            document.report(
                "endpoint \"\(name)\" uses auth: hmac-sha1, which Artifactory does not sign with; "
                    + "subscribe an hmac-sha256 or token endpoint", at: entry.value("endpoint"))
        case .none:
            document.report(
                "endpoint \"\(name)\" uses auth: none, so Artifactory would send no secret; "
                    + "subscribe an hmac-sha256 or token endpoint", at: entry.value("endpoint"))
        }
        return nil
    }

    private func readSubscriptionDomain(_ entry: YAMLMappingReader) -> EventDomain? {
        guard let name = entry.string("domain") else {
            document.report("missing \"domain\" (artifact, build, docker, …)", at: entry.node)
            return nil
        }
        let domain = EventDomain(rawValue: name)
        guard case .unknown = domain else { return domain }
        let known = EventDomain.known.map(\.rawValue)
        var message = "unknown domain \"\(name)\""
        if let guess = closest(to: name, in: known) {
            message += "; did you mean \"\(guess)\"?"
        } else {
            message += "; use one of \(known.joined(separator: ", "))"
        }
        document.report(message, at: entry.value("domain"))
        return nil
    }

    private func readEventTypes(_ entry: YAMLMappingReader, domain: EventDomain) -> [String]? {
        guard let node = entry.value("event_types") else {
            document.report("missing \"event_types\" (a list of the domain's event types)", at: entry.node)
            return nil
        }
        guard let items = node.items, !items.isEmpty else {
            document.report("expected a list of event types such as [deployed, copied]", at: node)
            return nil
        }
        let known = EventCatalog.kinds(of: domain).map(\.eventType)
        var types: [String] = []
        var valid = true
        for item in items {
            guard let type = item.scalar, !type.isEmpty else {
                document.report("expected an event type, found \(item.typeName)", at: item)
                valid = false
                continue
            }
            guard known.contains(type) else {
                var message = "\(domain.rawValue) has no event type \"\(type)\""
                if let guess = closest(to: type, in: known) {
                    message += "; did you mean \"\(guess)\"?"
                } else {
                    message += "; use \(known.joined(separator: ", "))"
                }
                document.report(message, at: item)
                valid = false
                continue
            }
            if types.contains(type) {
                document.report("\"\(type)\" is listed twice", at: item)
                valid = false
            }
            types.append(type)
        }
        return valid ? types : nil
    }

    /// Whether `key` is letters, digits, `-`, `_` and `.` only (ASCII), and not empty.
    static func isSubscriptionKey(_ key: String) -> Bool { isEndpointName(key) }

    /// An http(s) URL with a host and no query, user or fragment; reported otherwise.
    private func webhookURL(_ text: String, at node: YAMLNode?) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil, url.query == nil, url.fragment == nil, url.user == nil
        else {
            document.report(
                "expected an http(s) URL with a host and no query, user or fragment, such as https://hooks.example.com",
                at: node)
            return nil
        }
        return url
    }
}

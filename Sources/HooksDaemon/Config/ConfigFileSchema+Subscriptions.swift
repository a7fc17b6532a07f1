import ArtifactoryEvents
import YAMLDiagnostics

/// The `subscriptions:` section: the webhooks `subscriptions plan/apply` keep in Artifactory.
extension ConfigFileSchema {
    package static let subscriptions = SchemaMapping([
        .init(
            "key_prefix", .text("The prefix every key starts with; subscriptions apply --prune removes others with it.")
        ),
        .init(
            "public_url",
            .text("The URL Artifactory reaches this daemon at; a webhook's URL is PUBLIC_URL/webhooks/ENDPOINT.")),
        .init("webhooks", .list(.mapping(subscription), "The webhook subscriptions.")),
    ])

    package static let subscription = SchemaMapping([
        .init("key", .text("The subscription's key in Artifactory.", pattern: "^[A-Za-z0-9._-]+$"), required: true),
        .init("description", .text("Shown in Artifactory.")),
        .init("enabled", .boolean("Whether Artifactory sends its events (default true).")),
        .init(
            "endpoint", .text("The name of the endpoint that receives it; its secret and auth are sent."),
            required: true),
        .init("url", .text("The URL Artifactory calls (default: public_url/webhooks/ENDPOINT).")),
        .init(
            "domain", .choice(EventDomain.known.map(\.rawValue), "The event domain: artifact, build, docker, …"),
            required: true),
        .init(
            "event_types", .list(.text(), minItems: 1, "The domain's event types, such as [deployed, copied]."),
            required: true),
        .init("criteria", .mapping(criteria, "What the subscription covers; the keys depend on the domain.")),
        .init("proxy", .text("The key of an Artifactory proxy to call through.")),
    ])

    /// Every criterion of every domain, from the reader's lists; the reader says which a domain
    /// takes.
    package static let criteria: SchemaMapping = {
        var seen: Set<String> = []
        let all = ConfigReader.repositoryCriteria + ConfigReader.buildCriteria + ConfigReader.releaseBundleCriteria
        return SchemaMapping(
            all.filter { seen.insert($0.key).inserted }.map { criterion in
                let description = "The Event API's \(criterion.apiName)."
                return .init(criterion.key, criterion.isFlag ? .boolean(description) : .list(.text(), description))
            })
    }()
}

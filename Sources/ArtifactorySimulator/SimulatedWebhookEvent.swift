import Foundation

/// An event the simulator's own changes cause, as Artifactory's event service sends it to the
/// webhooks subscribed to it: the domain, the event type and the `data` member of the documented
/// payloads ("Event Types" in JFrog's platform administration documentation), plus what the
/// subscriptions' criteria select on.
public struct SimulatedWebhookEvent: Sendable, Hashable {
    public var domain: String
    public var eventType: String
    /// The `data` member, JSON text with keys sorted.
    public var dataJSON: String
    /// The repository the criteria look at (for a move or copy, the source: "the Webhook will
    /// apply to the repositories from which the artifact is moved"); `nil` for build events.
    public var repo: String?
    /// The item's path inside `repo`.
    public var path: String?
    /// The build name the build criteria look at; `nil` for artifact events.
    public var buildName: String?

    init(
        domain: String, eventType: String, data: [String: Any], repo: String? = nil, path: String? = nil,
        buildName: String? = nil
    ) {
        self.domain = domain
        self.eventType = eventType
        let text = try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes])
        self.dataJSON = text.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        self.repo = repo
        self.path = path
        self.buildName = buildName
    }

    /// `artifact.deployed`, `artifact.deleted`: the file's key, path, name, SHA-256 and size.
    static func artifact(_ eventType: String, _ item: SimulatedItem) -> SimulatedWebhookEvent {
        SimulatedWebhookEvent(
            domain: "artifact", eventType: eventType, data: fileData(item), repo: item.repo, path: item.path)
    }

    /// `artifact.moved`, `artifact.copied`: the source file, and the source and target repository
    /// keys (`source_repo_path`, `target_repo_path`, as the documented sample carries them).
    static func transfer(_ eventType: String, source: SimulatedItem, targetRepo: String) -> SimulatedWebhookEvent {
        var data = fileData(source)
        data["source_repo_path"] = source.repo
        data["target_repo_path"] = targetRepo
        return SimulatedWebhookEvent(
            domain: "artifact", eventType: eventType, data: data, repo: source.repo, path: source.path)
    }

    /// `artifact_property.added`, `artifact_property.deleted`: the item and one property.
    static func property(_ eventType: String, _ item: SimulatedItem, key: String, values: [String])
        -> SimulatedWebhookEvent
    {
        var data = fileData(item)
        data["property_key"] = key
        data["property_values"] = values
        return SimulatedWebhookEvent(
            domain: "artifact_property", eventType: eventType, data: data, repo: item.repo, path: item.path)
    }

    /// `build.uploaded`, `build.promoted`: the build's name, number, start and build-info repository.
    static func build(_ eventType: String, _ build: SimulatedBuild) -> SimulatedWebhookEvent {
        let repo = build.project.map { "\($0)-build-info" } ?? "artifactory-build-info"
        return SimulatedWebhookEvent(
            domain: "build", eventType: eventType,
            data: [
                "build_name": build.name, "build_number": build.number, "build_started": build.started,
                "build_repo": repo,
            ], buildName: build.name)
    }

    /// The sample event Test Webhook Subscription sends for `domain` (the documentation's sample data).
    static func sample(domain: String, eventType: String) -> SimulatedWebhookEvent {
        switch domain {
        case "build":
            SimulatedWebhookEvent(
                domain: domain, eventType: eventType,
                data: [
                    "build_name": "sample_build_name", "build_number": "1",
                    "build_started": "1970-01-01T00:00:00.000+0000", "build_repo": "artifactory-build-info",
                ], buildName: "sample_build_name")
        default:
            SimulatedWebhookEvent(
                domain: domain, eventType: eventType,
                data: [
                    "repo_key": "sample_repo", "path": "sample_dir/sample.txt", "name": "sample.txt",
                    "sha256": "sample_checksum", "size": 0,
                ], repo: "sample_repo", path: "sample_dir/sample.txt")
        }
    }

    private static func fileData(_ item: SimulatedItem) -> [String: Any] {
        [
            "repo_key": item.repo, "path": item.path, "name": item.name, "sha256": item.sha256, "size": item.size,
        ]
    }

    /// The body sent to one subscription: the event in the documented envelope (`domain`,
    /// `event_type`, `data`, `subscription_key`, `jpd_origin`, `source`).
    func body(subscriptionKey: String, origin: String) -> String {
        let envelope: [String: Any] = [
            "domain": domain, "event_type": eventType, "subscription_key": subscriptionKey, "jpd_origin": origin,
            "source": "jfrog/jfrt@simulator",
        ]
        let text =
            (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // `data` goes in as the JSON text it was made from, so the body holds it byte for byte.
        return "{\"data\":" + dataJSON + "," + text.dropFirst()
    }
}

public import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import Logging

/// `subscriptions plan` and `subscriptions apply`: reads the Event API's subscriptions, compares
/// them with the config (``SubscriptionPlan``) and sends what differs. Only the commands use it:
/// the daemon never changes Artifactory's webhooks on its own.
public enum SubscriptionSync {
    /// The plan for `config` against what `client`'s platform lists now.
    public static func plan(config: DaemonConfig, prune: Bool, client: ArtifactoryClient)
        async throws(ArtifactoryAPIError) -> SubscriptionPlan
    {
        let response = try await client.execute(.subscriptions)
        guard let remote = RemoteSubscription.list(from: response.body) else {
            throw ArtifactoryAPIError(
                code: .invalidResponse, status: response.status,
                messages: ["the subscriptions answer is not a JSON array of subscriptions"],
                request: ArtifactoryRequest.subscriptions.description)
        }
        return SubscriptionPlan.make(
            wanted: config.subscriptions.webhooks, remote: remote, secrets: secrets(config),
            keyPrefix: config.subscriptions.keyPrefix, prune: prune)
    }

    /// Carries out `plan`: creates, updates (with `all`, unchanged ones too, which sends the
    /// current secrets) and deletes, one call each, going on past a failed call. Returns one line
    /// per call and whether any failed.
    public static func apply(_ plan: SubscriptionPlan, config: DaemonConfig, all: Bool, client: ArtifactoryClient)
        async -> (text: String, failed: Bool)
    {
        let secrets = secrets(config)
        var lines: [String] = []
        var failed = false
        for item in plan.items {
            let key = ControlEscaping.escaped(item.key)
            let request: ArtifactoryRequest
            let done: String
            do {
                let segment = try PathSegment(item.key)
                switch item.action {
                case .create:
                    guard let wanted = item.wanted, let secret = secrets[item.key] else { continue }
                    request = .createSubscription(body: SubscriptionBody.json(wanted, secret: secret))
                    done = "created \(key)"
                case .update, .unchanged:
                    guard let wanted = item.wanted, let secret = secrets[item.key] else { continue }
                    guard item.action == .update || all else {
                        lines.append("unchanged \(key)")
                        continue
                    }
                    request = .updateSubscription(key: segment, body: SubscriptionBody.json(wanted, secret: secret))
                    done = "updated \(key)"
                case .delete:
                    request = .deleteSubscription(key: segment)
                    done = "deleted \(key)"
                }
            } catch {
                lines.append("\(key): failed: \(error.description)")
                failed = true
                continue
            }
            do {
                _ = try await client.execute(request)
                lines.append(done)
            } catch {
                lines.append("\(key): failed: \(error.description)")
                failed = true
            }
        }
        return (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), failed)
    }

    /// `subscriptions plan`: the plan against the config's Artifactory.
    public static func plan(config: DaemonConfig, prune: Bool) async throws(ArtifactoryAPIError) -> SubscriptionPlan {
        try await withClient(config) { client throws(ArtifactoryAPIError) in
            try await plan(config: config, prune: prune, client: client)
        }
    }

    /// `subscriptions apply`: plans, then carries the plan out against the config's Artifactory.
    public static func apply(config: DaemonConfig, prune: Bool, all: Bool)
        async throws(ArtifactoryAPIError) -> (text: String, failed: Bool)
    {
        try await withClient(config) { client throws(ArtifactoryAPIError) in
            let plan = try await plan(config: config, prune: prune, client: client)
            return await apply(plan, config: config, all: all, client: client)
        }
    }

    /// Runs `body` with a client for the config's Artifactory, closed afterwards.
    static func withClient<Result: Sendable>(
        _ config: DaemonConfig, _ body: (ArtifactoryClient) async throws(ArtifactoryAPIError) -> Result
    ) async throws(ArtifactoryAPIError) -> Result {
        guard let artifactory = config.artifactory else {
            throw ArtifactoryAPIError(
                code: .configuration, status: nil, messages: ["the config has no artifactory: section"], request: nil)
        }
        let client = try ArtifactoryClient(
            configuration: artifactory.clientConfiguration, logger: Logger(label: "artifactory-hooks.subscriptions"))
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The secret each configured subscription sends: its endpoint's first (current) secret.
    static func secrets(_ config: DaemonConfig) -> [String: String] {
        var secrets: [String: String] = [:]
        for subscription in config.subscriptions.webhooks {
            if let secret = config.endpoints.first(where: { $0.name == subscription.endpoint })?.secrets.first {
                secrets[subscription.key] = secret
            }
        }
        return secrets
    }
}

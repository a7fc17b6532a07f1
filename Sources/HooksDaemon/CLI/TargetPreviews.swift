import ArtifactoryAPI
import ArtifactoryRequests
import Rules

/// What `rules test --config` shows of an `http:` call: the URL under its target and every header
/// the client sends, credentials and signatures `<masked>`, the message id and timestamp as
/// placeholders (the worker writes the job's id and the attempt's time).
public struct TargetPreviews: Sendable {
    let targets: [String: TargetClient.Configuration]

    public init(_ targets: [DaemonConfig.Target]) {
        self.targets = Dictionary(targets.map { ($0.name, $0.client) }) { first, _ in first }
    }

    public func preview(_ request: ArtifactoryRequest) -> PlanReport.TargetPreview? {
        guard let name = request.target, let configuration = targets[name] else { return nil }
        let headers = TargetClient.headers(
            for: request, configuration: configuration, messageID: "msg_<job id>", timestamp: 0, masked: true
        ).map { header in
            header.name == "webhook-timestamp" ? (header.name, "<time of the attempt>") : header
        }
        return PlanReport.TargetPreview(
            url: configuration.shownURL(pathAndQuery: request.pathAndQuery), headers: headers)
    }
}

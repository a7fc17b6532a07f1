import ArtifactorySimulator
import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Storage
import Testing

/// A live daemon wired to a live simulated Artifactory, both on ephemeral loopback ports.
struct DeliveryHarness {
    static let token = "sim-token-not-a-secret-elsewhere"

    let daemon: TestDaemon
    let simulator: ArtifactorySimulator
    /// The admin listener (`/metrics`) once it is bound.
    let admin: AdminListener

    /// A config with `rules` as the only rule file, `worker` as the worker section (YAML lines),
    /// `rulesSection` as its `rules:` key, `endpoints` as its endpoint list and `extra` as more
    /// top-level YAML; the backlog is read every `backlogInterval`; the daemon runs on `clock`.
    static func run(
        rules: String, worker: String = "backoff_base: 100ms", files: [String] = ["com/acme/a.jar"],
        extra: String = "", rulesSection: String = "rules: rules", endpoints: String = TestDaemon.defaultEndpoints,
        backlogInterval: Duration = .milliseconds(100),
        logger: Logger = TestDaemon.logger, clock: any DaemonClock = SystemClock(),
        _ body: @Sendable (DeliveryHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        let simulator = ArtifactorySimulator(
            configuration: .init(tokens: [token], repositories: ["libs-release-local", "libs-qa-local"]))
        for path in files { try simulator.state.addFile(repo: "libs-release-local", path: path, size: 5) }
        try await simulator.withRunning { baseURL in
            let daemon = try TestDaemon.callingArtifactory(
                at: baseURL, rules: rules, worker: worker, token: token, extra: extra, rulesSection: rulesSection,
                endpoints: endpoints)
            defer { daemon.directory.remove() }
            let admin = AdminListener()
            let app = try await buildApplication(
                config: try daemon.config(), logger: logger, backlogInterval: backlogInterval, clock: clock,
                onAdminListening: admin.bound)
            let harness = DeliveryHarness(daemon: daemon, simulator: simulator, admin: admin)
            try await app.test(.live) { client in try await body(harness, client) }
        }
    }

    /// One rule that tags every deployed artifact `qa.status=pending`: each deployment plans one
    /// job, and Artifactory answers the tag with an `artifact_property.added` event.
    static let tagOnDeployRules = """
        rules:
          - name: tag-on-deploy
            on: artifact.deployed
            do:
              - set_properties: { qa.status: pending }

        """

    /// Two rules for loop-guard tests: one tags a deployed artifact, the other reacts to any
    /// property added, so it would react to our own tag but for the loop guard.
    static let tagAndReactRules = """
        rules:
          - name: tag-on-deploy
            on: artifact.deployed
            do:
              - set_properties: { qa.status: pending }
          - name: react-to-properties
            on: artifact_property.added
            do:
              - set_properties: { reacted: "yes" }

        """

    /// Posts a signed event body and returns the acknowledgement.
    func post(_ client: some TestClientProtocol, _ json: String) async throws -> Acknowledgement {
        let body = Array(json.utf8)
        let response = try await client.execute(
            uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
        #expect(response.status == .accepted)
        return try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
    }

    /// An artifact.deployed body for `path` in libs-release-local.
    static func deployed(_ path: String, tag: String = "") -> String {
        #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"a.jar","size":5,"tag":"\#(tag)"}}"#
    }

    /// The jobs of `event`, read from the daemon's store.
    func jobs(of event: Int64) async throws -> [StoredJob] {
        let store = try await daemon.openStore()
        defer { Task { try? await store.close() } }
        return try await store.jobs(forEvent: event)
    }

    /// The attempts of `job`.
    func attempts(of job: Int64) async throws -> [StoredAttempt] {
        let store = try await daemon.openStore()
        let attempts = try await store.attempts(forJob: job)
        try await store.close()
        return attempts
    }

    /// Waits until every job of `event` has finished (done, dead, cancelled or skipped), up to 20 s.
    @discardableResult
    func waitForJobs(of event: Int64) async throws -> [StoredJob] {
        for _ in 0..<1000 {
            let jobs = try await jobs(of: event)
            if !jobs.isEmpty, jobs.allSatisfy({ [.done, .dead, .cancelled, .skipped].contains($0.state) }) {
                return jobs
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("jobs of event \(event) did not finish: \(try await jobs(of: event).map(\.state))")
        return try await jobs(of: event)
    }
}

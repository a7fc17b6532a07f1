import Foundation

extension SimulatorState {
    /// Deploys a file as Deploy Artifact does (its checksums from `content`) and sends
    /// `artifact.deployed` to the subscriptions that receive it: the test-only way to make the
    /// simulator's content change, as a CI tool's upload would.
    @discardableResult
    public func deploy(repo: String, path: String, content: [UInt8] = []) throws(SimulatorError) -> SimulatedItem {
        try withStorage { storage throws(SimulatorError) in
            try storage.deploy(repo: repo, path: path, content: content, now: Date())
        }
    }

    /// What became of each webhook sent so far, in the order they finished.
    public var sentWebhooks: [SentWebhook] {
        withStorage { $0.sentWebhooks }
    }

    /// Webhooks queued or being sent (retries included).
    public var pendingWebhooks: Int {
        withStorage { $0.webhookOutbox.count + $0.webhooksInFlight }
    }

    /// Waits until no webhook is queued or being sent, polling; `false` when `timeout` passed first.
    public func webhooksSettled(timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while pendingWebhooks > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

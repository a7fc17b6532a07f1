import ArgumentParser
import ArtifactoryEvents
import Foundation
import HooksDaemon

/// `artifactory-hooks send`: sign an event file like Artifactory and POST it.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign a JSON event file and POST it to a webhook endpoint (for testing).",
        discussion: """
            The file is sent byte for byte; the X-JFrog-Event-Auth header is computed for --auth.
            Prefer --secret-file or --secret-env: a --secret on the command line is visible to other users.
            Example: artifactory-hooks send --secret-env HOOK_SECRET fixtures/events/artifact/deployed.json
            """
    )

    @Option(help: "The endpoint URL.")
    var url: String = "http://127.0.0.1:8470/webhooks/main"

    @Option(help: "How to sign: hmac-sha256, token, hmac-sha1 or none.")
    var auth: String = "hmac-sha256"

    @Option(help: "The secret itself.")
    var secret: String?

    @Option(help: ArgumentHelp("Read the secret from this file.", valueName: "FILE"))
    var secretFile: String?

    @Option(help: ArgumentHelp("Read the secret from this environment variable.", valueName: "VAR"))
    var secretEnv: String?

    @Argument(help: "The event file (JSON).")
    var event: String

    func validate() throws {
        guard AuthMode(rawValue: auth) != nil else {
            throw ValidationError("--auth takes \(AuthMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard URL(string: url)?.host != nil else {
            throw ValidationError("--url must be a full URL such as http://127.0.0.1:8470/webhooks/main")
        }
    }

    func run() async throws {
        let mode = AuthMode(rawValue: auth)!
        let secretValue = try resolveSecret()
        if mode != .none, secretValue == nil {
            throw ValidationError(
                "--auth \(auth) needs a secret: --secret-file FILE, --secret-env VAR or --secret TEXT")
        }
        guard let body = FileManager.default.contents(atPath: event) else {
            throw ValidationError("cannot read \(event)")
        }
        let answer = try await WebhookSender().send(
            body: Array(body), to: URL(string: url)!, mode: mode, secret: secretValue)
        print("HTTP \(answer.status)")
        print(answer.body)
        if !(200..<300).contains(answer.status) { throw ExitCode(1) }
    }

    private func resolveSecret() throws -> String? {
        if let secret { return secret }
        if let secretFile {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("cannot read the secret file \(secretFile)")
            }
            return SecretFileText.secret(in: data)
        }
        if let secretEnv {
            guard let value = ProcessInfo.processInfo.environment[secretEnv], !value.isEmpty else {
                throw ValidationError("environment variable \(secretEnv) is not set")
            }
            return value
        }
        return nil
    }
}

import Foundation
import HooksTestSupport
import Testing

/// `rules check` and `rules test` with and without the config's targets, as the binary runs them.
@Suite("Targets on the command line: rules check and rules test", .timeLimit(.minutes(2)))
struct TargetCommandTests {
    static let rules = """
        rules:
          - name: announce
            on: build.promoted
            do:
              - http:
                  target: chatt
                  method: POST
                  path: "hooks/{{ data.build_name }}"
                  json: { text: "{{ data.build_name }} promoted" }

        """

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    @Test func anUnknownTargetIsAnErrorOnlyWithTheConfig() async throws {
        let daemon = try TestDaemon(
            extra: """
                rules: rules
                targets:
                  - name: chat
                    url: https://chat.example.com/base
                    auth: bearer
                    token_file: chat-token
                    sign: { scheme: standard-webhooks, secret_file: chat-whsec }
                """)
        defer { daemon.directory.remove() }
        try daemon.directory.write("rules/chat.yml", Self.rules)
        // Commands that send nothing never read the secrets: these files do not exist.
        let rules = daemon.directory.path("rules")
        let alone = try await Self.run(["rules", "check", rules])
        #expect(alone.status == 0, "\(alone.output)")
        let checked = try await Self.run(["rules", "check", "--config", daemon.configPath])
        #expect(checked.status == 1)
        #expect(
            checked.output.contains(
                "chat.yml:6:19: error: rules[0].do[0].http.target: unknown target \"chatt\"; did you mean \"chat\"?"),
            "\(checked.output)")

        try daemon.directory.write("rules/chat.yml", Self.rules.replacingOccurrences(of: "chatt", with: "chat"))
        try daemon.directory.write(
            "promoted.json",
            #"{"domain":"build","event_type":"promoted","data":{"build_name":"app","build_number":"7"}}"#)
        let tested = try await Self.run([
            "rules", "test", "--config", daemon.configPath, daemon.directory.path("promoted.json"),
        ])
        #expect(tested.status == 0, "\(tested.output)")
        #expect(
            tested.output.contains("POST https://chat.example.com/base/hooks/app  (target chat)"), "\(tested.output)")
        #expect(tested.output.contains("Authorization: <masked>"))
        #expect(tested.output.contains("webhook-signature: <masked>"))
        #expect(tested.output.contains(#"{"text":"app promoted"}"#))
    }
}

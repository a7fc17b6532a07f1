import ArtifactoryEvents
import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Rules at ingest: planning, reload", .timeLimit(.minutes(1)))
struct RulesWiringTests {
    static let tagRule = """
        rules:
          - name: tag-jars
            on: artifact.deployed
            when:
              repo: libs-release-local
              path: "**/*.jar"
            do:
              - set_properties: { qa.status: pending, qa.event: "{{ event.id }}" }
              - copy: { to: "libs-qa-local/{{ data.path }}" }
        """

    static let otherRule = """
        rules:
          - name: tag-everything
            on: artifact.*
            do:
              - set_properties: { seen: "yes" }
        """

    /// A daemon with a rules folder holding `files`, polled every 50 ms.
    static func daemon(rules files: [String: String]) throws -> TestDaemon {
        let daemon = try TestDaemon(extra: "rules: rules\nrules_poll_interval: 50ms\n")
        // The folder even without files: the daemon refuses a rules folder that does not exist.
        try FileManager.default.createDirectory(
            atPath: daemon.directory.path("rules"), withIntermediateDirectories: true)
        for (name, text) in files { try daemon.directory.write("rules/\(name)", text) }
        return daemon
    }

    /// Posts a signed artifact.deployed event for `path` and returns the acknowledgement.
    static func deploy(_ client: some TestClientProtocol, path: String) async throws -> Acknowledgement {
        let body = Array(
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"x.jar","size":5},"source":"jfrog/ci"}"#
                .utf8)
        let response = try await client.execute(
            uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
        #expect(response.status == .accepted)
        return try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
    }

    @Test("matching rules plan jobs stored with the event, byte-exact")
    func plansJobs() async throws {
        let daemon = try Self.daemon(rules: ["tag.yml": Self.tagRule])
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let ack = try await Self.deploy(client, path: "com/acme/a b,c.jar")
            #expect(ack.planned == 2)
            let store = try await daemon.openStore()
            let jobs = try await store.jobs(forEvent: ack.event_id)
            try await store.close()
            #expect(jobs.map(\.kind) == ["set_properties", "copy"])
            #expect(jobs.allSatisfy { $0.subject == "artifact:libs-release-local/com/acme/a b,c.jar" })
            #expect(
                jobs.first?.request
                    == #"{"action_index":0,"kind":"set_properties","method":"PUT","path":"api/storage/libs-release-local/com/acme/a%20b%2Cc.jar?properties=qa.status=pending;qa.event=\#(ack.event_id)&recursive=0","rule":"tag-jars","subject":"artifact:libs-release-local/com/acme/a b,c.jar"}"#
            )

            // An event no rule matches plans nothing.
            let other = try await Self.deploy(client, path: "com/acme/readme.txt")
            #expect(other.planned == 0)
        }
    }

    @Test("artifactory.project goes with the promotions the daemon plans, as operations.md says")
    func configuredProject() async throws {
        let daemon = try TestDaemon(
            extra: """
                rules: rules
                artifactory:
                  url: http://127.0.0.1:1/artifactory
                  token_file: token
                  project: pay
                """)
        defer { daemon.directory.remove() }
        try daemon.directory.write("token", "t\n")
        try daemon.directory.write(
            "rules/promote.yml",
            "rules:\n  - name: stage\n    on: build.uploaded\n    do:\n      - promote_build: { status: staged }\n")
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let body = try Fixtures.bytes("events/build/uploaded.json")
            let response = try await client.execute(
                uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
            let ack = try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
            #expect(ack.planned == 1)
            let store = try await daemon.openStore()
            let jobs = try await store.jobs(forEvent: ack.event_id)
            try await store.close()
            #expect(
                jobs.first?.request.contains(#""path":"api/build/promote/payments-service/1024?project=pay""#) == true)
        }
    }

    @Test("a template naming a missing field records a failed plan, never an empty value")
    func planFailureRecorded() async throws {
        let rule = """
            rules:
              - name: needs-field
                on: artifact.*
                do:
                  - set_properties: { origin: "{{ data.source_repo_path }}" }
            """
        let daemon = try Self.daemon(rules: ["needs.yml": rule])
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            let ack = try await Self.deploy(client, path: "a.jar")
            #expect(ack.planned == 0)
            let store = try await daemon.openStore()
            let failures = try await store.planFailures(forEvent: ack.event_id)
            try await store.close()
            #expect(failures.map(\.rule) == ["needs-field"])
            #expect(failures.first?.code == "missing_field")
            #expect(failures.first?.message.contains("source_repo_path") == true)
        }
    }

    @Test("a changed rule file is picked up; a broken one leaves the old rules in force")
    func reloadOnChange() async throws {
        let daemon = try Self.daemon(rules: ["tag.yml": Self.tagRule])
        defer { daemon.directory.remove() }
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            #expect(try await Self.deploy(client, path: "p/0.jar").planned == 2)

            // Saved by rename, as editors do.
            try daemon.directory.write("rules/.tag.yml.swp", Self.otherRule)
            try FileManager.default.removeItem(atPath: daemon.directory.path("rules/tag.yml"))
            try FileManager.default.moveItem(
                atPath: daemon.directory.path("rules/.tag.yml.swp"), toPath: daemon.directory.path("rules/tag.yml"))
            var planned = -1
            for attempt in 0..<100 {
                planned = try await Self.deploy(client, path: "p/\(attempt + 1).jar").planned
                if planned == 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(planned == 1, "the new rule set was not loaded")

            // A broken file: the whole reload is refused and tag-everything stays in force.
            try daemon.directory.write(
                "rules/broken.yml", "rules:\n  - name: broken\n    on: artifact.deployed\n    do: nope\n")
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await Self.deploy(client, path: "q/1.jar").planned == 1)
        }
    }

    @Test("a rule file that is a symlink is reloaded when the file it points to changes")
    func reloadThroughSymlink() async throws {
        let daemon = try Self.daemon(rules: [:])
        defer { daemon.directory.remove() }
        // As a ConfigMap mount or a checkout linked in: the link stays, its target is replaced.
        try daemon.directory.write("source/tag.yml", Self.tagRule)
        try FileManager.default.createSymbolicLink(
            atPath: daemon.directory.path("rules/tag.yml"), withDestinationPath: daemon.directory.path("source/tag.yml")
        )
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        try await app.test(.live) { client in
            #expect(try await Self.deploy(client, path: "p/0.jar").planned == 2)
            try daemon.directory.write("source/.tag.yml.new", Self.otherRule)
            try FileManager.default.removeItem(atPath: daemon.directory.path("source/tag.yml"))
            try FileManager.default.moveItem(
                atPath: daemon.directory.path("source/.tag.yml.new"), toPath: daemon.directory.path("source/tag.yml"))
            var planned = -1
            for attempt in 0..<100 {
                planned = try await Self.deploy(client, path: "p/\(attempt + 1).jar").planned
                if planned == 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(planned == 1, "the change behind the link was not noticed")
        }
    }

    @Test("rules that do not load stop the daemon before it listens")
    func brokenRulesAtStart() async throws {
        let daemon = try Self.daemon(rules: [
            "bad.yml": "rules:\n  - name: x\n    on: artifact.deployed\n    do:\n      - sett_properties: { a: b }\n"
        ])
        defer { daemon.directory.remove() }
        await #expect(throws: (any Error).self) {
            _ = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        }
    }
}

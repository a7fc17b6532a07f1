import ArtifactoryEvents
import Foundation
import HTTPTypes
import HooksDaemon
import HooksTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What signed events bring (control characters, deep bodies) on the command line: escaped and
/// bounded, never acting on the terminal.
@Suite("Event text on the command line", .timeLimit(.minutes(2)))
struct HostileTextCommandTests {
    static let rules = """
        rules:
          - name: tag-everything
            on: artifact.*
            do:
              - set_properties: { seen: "yes" }
          - name: delete-named
            on: artifact.*
            do:
              - delete: {}
                repo: "{{ data.name }}"
                path: x
        """

    /// An event whose type, path, name and source carry an ANSI colour, an OSC title, CR/LF, a C1
    /// CSI and a bidi override, in JSON escapes and (where JSON allows) as raw characters.
    static let hostileBody =
        #"{"domain":"artifact","event_type":"deployed\u001b[31m\r\n9999  2026-01-01  main  FORGED","#
        + #""data":{"repo_key":"libs","path":"a/\u001b[31mred\r\nx\u202egpj.jar","name":"n\u001b]0;pwned\u0007","#
        + "\"note\":\"raw \u{202E}bidi \u{9B}2J\"},\"source\":\"ci\u{9B}2J\"}"

    /// Characters that act on a terminal instead of showing.
    static func controls(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    /// Stores `bodies` through a live daemon's ingest (signed, as Artifactory sends them) and
    /// returns the daemon and the event ids.
    static func ingest(_ bodies: [String]) async throws -> (TestDaemon, [Int64]) {
        let daemon = try TestDaemon(extra: "rules: rules\n")
        try daemon.directory.write("rules/tag.yml", rules)
        let app = try await buildApplication(config: try daemon.config(), logger: TestDaemon.logger)
        let ids = try await app.test(.live) { client in
            var ids: [Int64] = []
            for text in bodies {
                let body = Array(text.utf8)
                let response = try await client.execute(
                    uri: "/webhooks/main", method: .post, headers: signedHeaders(body), body: ByteBuffer(bytes: body))
                #expect(response.status == .accepted)
                let ack = try JSONDecoder().decode(Acknowledgement.self, from: Data(response.body.readableBytesView))
                ids.append(ack.event_id)
            }
            return ids
        }
        return (daemon, ids)
    }

    @Test("events list/show, jobs list and rules test escape control characters an event brought")
    func controlCharactersAreEscaped() async throws {
        let (daemon, ids) = try await Self.ingest([Self.hostileBody])
        defer { daemon.directory.remove() }
        let id = try #require(ids.first)

        let list = try await Self.run(["events", "list", "--config", daemon.configPath])
        #expect(list.status == 0, "\(list.output)")
        #expect(Self.controls(list.output) == [], "\(list.output)")
        #expect(list.output.split(separator: "\n").count == 2, "\(list.output)")
        #expect(list.output.contains(#"artifact.deployed\u{1B}[31m\r\n9999  2026-01-01  main  FORGED"#))

        let show = try await Self.run(["events", "show", String(id), "--config", daemon.configPath])
        #expect(show.status == 0, "\(show.output)")
        #expect(Self.controls(show.output) == [], "\(show.output)")
        #expect(show.output.contains(#"subject:       artifact:libs/a/\u{1B}[31mred\r\nx\u{202E}gpj.jar"#))
        #expect(show.output.contains(#"source:        ci\u{9B}2J"#))
        #expect(show.output.contains(#"repo "n\u{1B}]0;pwned\u{7}" is not a repository key"#), "\(show.output)")
        #expect(show.output.contains(#""note": "raw \u{202E}bidi \u{9B}2J""#), "\(show.output)")

        let jobs = try await Self.run(["jobs", "list", "--config", daemon.configPath])
        #expect(jobs.status == 0, "\(jobs.output)")
        #expect(Self.controls(jobs.output) == [], "\(jobs.output)")
        #expect(jobs.output.split(separator: "\n").count == 2, "\(jobs.output)")

        let event = try daemon.directory.write("event.json", Self.hostileBody)
        let test = try await Self.run(["rules", "test", "--rules", daemon.directory.path("rules"), event])
        #expect(Self.controls(test.output) == [], "\(test.output)")
        #expect(test.output.contains(#"event: artifact.deployed\u{1B}[31m\r\n9999"#), "\(test.output)")
    }

    @Test("events show folds a body nested 500 deep and says so; --raw writes it exactly")
    func deepBodyIsBounded() async throws {
        let items = Array(repeating: "1", count: 100_000).joined(separator: ",")
        let body =
            #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs","path":"deep.jar","name":"d","deep":"#
            + String(repeating: "[", count: 500) + items + String(repeating: "]", count: 500) + "}}"
        let (daemon, ids) = try await Self.ingest([body])
        defer { daemon.directory.remove() }
        let id = try #require(ids.first)

        let show = try await Self.run(["events", "show", String(id), "--config", daemon.configPath])
        #expect(show.status == 0)
        #expect(show.output.utf8.count < 256 << 10, "printed \(show.output.utf8.count) bytes")
        #expect(show.output.contains("[… 1 item]"))
        #expect(show.output.contains("(body folded for reading: nesting past 32 levels"))
        #expect(show.output.contains("`events show --raw \(id)` writes the body exactly)"))

        let raw = try await Self.run(["events", "show", "--raw", String(id), "--config", daemon.configPath])
        #expect(raw.status == 0)
        #expect(raw.output == body)
    }
}

import Foundation
import HooksTestSupport
import Testing

/// `rules schema` and `config schema` as the binary runs them: JSON Schemas that match the copies
/// the repository ships in schema/.
@Suite("The schema commands", .timeLimit(.minutes(1)))
struct SchemaCommandTests {
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try DaemonProcess(arguments)
        let status = try await process.waitForExit()
        return (status, process.printed)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func rulesSchemaPrintsTheShippedJSONSchema() async throws {
        // When
        let (status, output) = try await Self.run(["rules", "schema"])

        // Then
        #expect(status == 0)
        let schema = try Self.object(output)
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        let definitions = try #require(schema["definitions"] as? [String: Any])
        let action = try #require(definitions["action"] as? [String: Any])
        let branches = try #require(action["anyOf"] as? [[String: Any]])
        let keys = Set(branches.compactMap { ($0["properties"] as? [String: Any])?.keys }.joined())
        for key in [
            "set_properties", "delete_properties", "promote_build", "copy", "move", "delete", "artifactory", "platform",
            "http", "require", "repo", "path",
        ] {
            #expect(keys.contains(key), "\(key)")
        }
        let rule = try #require(definitions["rule"] as? [String: Any])
        #expect(rule["required"] as? [String] == ["name", "on", "do"])
        #expect(rule["additionalProperties"] as? Bool == false)
        let shipped = try String(
            contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent("schema/rules.schema.json").path,
            encoding: .utf8)
        #expect(output == shipped, "schema/rules.schema.json differs from `rules schema`; regenerate it")
    }

    @Test func configSchemaPrintsTheShippedJSONSchema() async throws {
        // When
        let (status, output) = try await Self.run(["config", "schema"])

        // Then
        #expect(status == 0)
        let schema = try Self.object(output)
        #expect(schema["required"] as? [String] == ["endpoints"])
        let properties = try #require(schema["properties"] as? [String: Any])
        for key in ["listen", "store", "rules", "artifactory", "endpoints", "ingest", "worker", "targets"] {
            #expect(properties[key] != nil, "\(key)")
        }
        let definitions = try #require(schema["definitions"] as? [String: Any])
        let endpoint = try #require(definitions["endpoint"] as? [String: Any])
        let auth = try #require((endpoint["properties"] as? [String: Any])?["auth"] as? [String: Any])
        #expect(auth["enum"] as? [String] == ["token", "hmac-sha256", "hmac-sha1", "none"])
        // An endpoint's accept: is a rule's when:, from the same definitions.
        #expect(definitions["condition"] != nil)
        let shipped = try String(
            contentsOfFile: Fixtures.repositoryRoot.appendingPathComponent("schema/config.schema.json").path,
            encoding: .utf8)
        #expect(output == shipped, "schema/config.schema.json differs from `config schema`; regenerate it")
    }

    @Test func anUnknownSubcommandFails() async throws {
        let (status, output) = try await Self.run(["config", "schemas"])
        #expect(status != 0)
        #expect(output.contains("schemas"))
    }
}

import Foundation
import Testing
import YAMLDiagnostics

@testable import Rules

/// The rule file schema and the reader agree: every key a mapping of the schema lists is one the
/// reader reads, and a key the schema does not allow is one the reader reports.
struct RuleFileSchemaTests {
    /// A mapping of a rule file: a small rule file whose `@@` is where a key goes (`, KEY: x` in a
    /// flow mapping, or a line of its own at the top), and the keys the file already gives there.
    struct Site: CustomTestStringConvertible, Sendable {
        var name: String
        var mapping: SchemaMapping
        var file: String
        var present: Set<String>
        /// The reader's message for an unknown `key` there.
        var unknown: @Sendable (String) -> String = { "unknown key \"\($0)\"" }

        var testDescription: String { name }

        func withKey(_ key: String) -> String {
            file.replacingOccurrences(of: "@@", with: file.hasSuffix("@@") ? "\(key): x\n" : ", \(key): x")
        }
    }

    static let deleteRule = "{name: r, on: artifact.deployed, when: {repo: libs}, do: [{delete: {}}]@@}"

    /// A minimal value of each action, with the action's own key.
    static func action(_ kind: PlannedAction.Kind) -> String {
        switch kind {
        case .setProperties: "set_properties: {a: b}"
        case .deleteProperties: "delete_properties: [a]"
        case .promoteBuild: "promote_build: {status: released}"
        case .copy: "copy: {to: libs-b/x}"
        case .move: "move: {to: libs-b/x}"
        case .delete: "delete: {}"
        case .artifactory: "artifactory: {method: GET, path: api/x}"
        case .platform: "platform: {method: GET, path: api/x}"
        case .http: "http: {target: chat, method: POST}"
        case .forEach: ""
        }
    }

    /// A rule file of one rule on `kind` (with a repository condition on artifact events).
    static func rule(on kind: String = "artifact.deployed", _ actions: String) -> String {
        let when = kind.hasPrefix("artifact.") ? " when: {repo: libs}," : ""
        return "rules:\n  - {name: r, on: \(kind),\(when) do: [\(actions)]}\n"
    }

    static let sites: [Site] = {
        var sites = [
            Site(
                name: "file", mapping: RuleFileSchema.file,
                file: "rules:\n  - {name: r, on: artifact.deployed, do: [{delete: {}}]}\n@@", present: ["rules"]),
            Site(
                name: "defaults", mapping: RuleFileSchema.defaults,
                file: "defaults: {when: {repo: libs}@@}\n" + rule("{delete: {}}"), present: ["when"]),
            Site(
                name: "rule", mapping: RuleFileSchema.rule, file: "rules:\n  - " + deleteRule,
                present: ["name", "on", "when", "do"]),
            Site(
                name: "promote_build options", mapping: RuleFileSchema.promotion,
                file: rule(on: "build.promoted", "{promote_build: {status: released@@}}"), present: ["status"]),
            Site(
                name: "copy options", mapping: RuleFileSchema.transfer,
                file: rule("{copy: {to: libs-b/x@@}}"), present: ["to"]),
            Site(
                name: "artifactory call", mapping: RuleFileSchema.genericCall,
                file: rule("{artifactory: {method: GET, path: api/x@@}}"), present: ["method", "path"]),
            Site(
                name: "http call", mapping: RuleFileSchema.httpCall,
                file: rule("{http: {target: chat, method: POST@@}}"), present: ["target", "method"]),
            Site(
                name: "for_each block",
                mapping: SchemaMapping(RuleFileSchema.forEachKeys + RuleFileSchema.buildKeys)
                    .adding([.init("do", .anything())]),
                file: rule(on: "build.promoted", "{for_each: build_artifacts, do: [{delete: {}}]@@}"),
                present: ["for_each", "do"]),
            Site(
                name: "matcher", mapping: SchemaMapping(RuleFileSchema.matcherForms.flatMap(\.keys)),
                file: "rules:\n  - {name: r, on: artifact.deployed, when: {size: {min: 1@@}}, do: [{delete: {}}]}\n",
                present: ["min"]),
            Site(
                name: "when", mapping: RuleFileSchema.condition,
                file: "rules:\n  - {name: r, on: artifact.deployed, when: {repo: libs@@}, do: [{delete: {}}]}\n",
                present: ["repo"], unknown: { "unknown condition \"\($0)\"" }),
            Site(
                name: "require", mapping: RuleFileSchema.guardMapping,
                file: rule("{delete: {}, require: {item.exists: true@@}}"), present: ["item.exists"],
                unknown: { "unknown guard \"\($0)\"" }),
        ]
        for kind in RuleFileSchema.actionKinds {
            let on = kind == .promoteBuild ? "build.promoted" : "artifact.deployed"
            sites.append(
                Site(
                    name: "\(kind) action",
                    mapping: RuleFileSchema.actionMapping(kind, besides: [RuleFileSchema.requireKey]),
                    file: rule(on: on, "{\(action(kind))@@}"), present: [kind.rawValue]))
        }
        return sites
    }()

    static func messages(_ text: String) -> [String] {
        RuleCheck.run([RuleSource(file: "r.yml", text: text)]).diagnostics.map(\.message)
    }

    @Test(arguments: sites)
    func theReaderReadsEveryKeyTheSchemaLists(_ site: Site) {
        // Given: the site's file without an added key has no error
        let base = RuleCheck.run([RuleSource(file: "r.yml", text: site.file.replacingOccurrences(of: "@@", with: ""))])
        #expect(base.errorCount == 0, "\(site.name): \(base.diagnostics)")
        for key in site.mapping.keyNames where !site.present.contains(key) {
            // When
            let messages = Self.messages(site.withKey(key))

            // Then
            #expect(!messages.contains { $0.hasPrefix(site.unknown(key)) }, "\(site.name): \(key)")
        }
    }

    @Test(arguments: sites)
    func aKeyTheSchemaRefusesTheReaderReports(_ site: Site) throws {
        // Given: a key no mapping of the schema knows
        let key = "zz_probe"
        #expect(site.mapping.otherKeys == nil)
        for (pattern, _) in site.mapping.patternKeys {
            #expect(try Regex(pattern).firstMatch(in: key) == nil)
        }

        // When
        let messages = Self.messages(site.withKey(key))

        // Then
        #expect(messages.contains { $0.hasPrefix(site.unknown(key)) }, "\(site.name): \(messages)")
    }

    @Test func everyActionKindIsInTheSchema() throws {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(RuleFileSchema.document.json.utf8)) as? [String: Any])
        #expect(json["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        let definitions = try #require(json["definitions"] as? [String: Any])
        let action = try #require(definitions["action"] as? [String: Any])
        let branches = try #require(action["anyOf"] as? [[String: Any]])
        let required = branches.compactMap { ($0["required"] as? [String])?.first }
        #expect(required == PlannedAction.Kind.allCases.filter { $0 != .forEach }.map(\.rawValue))
        for name in ["rule", "eventKind", "condition", "value", "matcher", "guard", "entry", "itemAction", "forEach"] {
            #expect(definitions[name] != nil, "\(name)")
        }
    }

    @Test func theShippedSchemaIsTheCommandsOutput() throws {
        let shipped = try String(contentsOfFile: Fixtures.path("schema/rules.schema.json"), encoding: .utf8)
        #expect(
            shipped == RuleFileSchema.document.json,
            "schema/rules.schema.json is stale: run swift run artifactory-hooks rules schema > schema/rules.schema.json"
        )
    }
}

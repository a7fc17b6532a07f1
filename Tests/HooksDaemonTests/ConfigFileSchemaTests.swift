import Foundation
import HooksDaemon
import HooksTestSupport
import Testing
import YAMLDiagnostics

/// The config schema and the reader agree: every key a section of the schema lists is one the
/// reader reads, and a key the schema does not allow is one the reader reports.
struct ConfigFileSchemaTests {
    /// A section of the config: a small config whose `@@` is where a key goes (`, KEY: x` in a
    /// flow mapping, or a line of its own at the top), and the keys it already gives there.
    struct Site: CustomTestStringConvertible, Sendable {
        var name: String
        var mapping: SchemaMapping
        var file: String
        var present: Set<String>
        /// Whether the reader names the key (a `secrets:` entry does not: a stray key may be a secret).
        var echoes = true

        var testDescription: String { name }

        func withKey(_ key: String) -> String {
            file.replacingOccurrences(of: "@@", with: file.hasSuffix("@@") ? "\(key): x\n" : ", \(key): x")
        }

        func reportsUnknown(_ key: String, in messages: [String]) -> Bool {
            messages.contains { echoes ? $0.hasPrefix("unknown key \"\(key)\"") : $0.hasPrefix("a key other than") }
        }
    }

    static let endpoints = "endpoints: [{name: main, auth: none}]\n"

    static let sites: [Site] = [
        Site(name: "top", mapping: ConfigFileSchema.top, file: endpoints + "@@", present: ["endpoints"]),
        Site(
            name: "admin", mapping: ConfigFileSchema.admin, file: endpoints + "admin: {max_connections: 4@@}\n",
            present: ["max_connections"]),
        Site(
            name: "store", mapping: ConfigFileSchema.store, file: endpoints + "store: {sqlite: a.sqlite@@}\n",
            present: ["sqlite"]),
        Site(
            name: "rules", mapping: ConfigFileSchema.rules, file: endpoints + "rules: {directory: rules@@}\n",
            present: ["directory"]),
        Site(
            name: "artifactory", mapping: ConfigFileSchema.artifactory,
            file: endpoints + "artifactory: {url: \"https://a.example.com/artifactory\"@@}\n", present: ["url"]),
        Site(
            name: "endpoint", mapping: ConfigFileSchema.endpoint, file: "endpoints: [{name: main, auth: none@@}]\n",
            present: ["name", "auth"]),
        Site(
            name: "rate_limit", mapping: ConfigFileSchema.rateLimit,
            file: "endpoints: [{name: main, auth: none, rate_limit: {per_second: 1@@}}]\n", present: ["per_second"]),
        Site(
            name: "secrets entry", mapping: ConfigFileSchema.secretEntry,
            file: "endpoints: [{name: main, auth: token, secrets: [{env: HOME@@}]}]\n", present: ["env"],
            echoes: false),
        Site(
            name: "ingest", mapping: ConfigFileSchema.ingest, file: endpoints + "ingest: {max_connections: 8@@}\n",
            present: ["max_connections"]),
        Site(
            name: "worker", mapping: ConfigFileSchema.worker, file: endpoints + "worker: {concurrency: 2@@}\n",
            present: ["concurrency"]),
        Site(
            name: "tls", mapping: ConfigFileSchema.tls, file: endpoints + "tls: {cert_file: a@@}\n",
            present: ["cert_file"]),
        Site(
            name: "target", mapping: ConfigFileSchema.target,
            file: endpoints + "targets: [{name: chat, url: \"https://chat.example.com\", auth: none@@}]\n",
            present: ["name", "url", "auth"]),
        Site(
            name: "sign", mapping: ConfigFileSchema.sign,
            file: endpoints
                + "targets: [{name: chat, url: \"https://chat.example.com\", auth: none, sign: {scheme: hmac-sha256@@}}]\n",
            present: ["scheme"]),
        Site(
            name: "subscriptions", mapping: ConfigFileSchema.subscriptions,
            file: endpoints + "subscriptions: {key_prefix: hooks-@@}\n", present: ["key_prefix"]),
        Site(
            name: "subscription", mapping: ConfigFileSchema.subscription,
            file: "endpoints: [{name: main, auth: hmac-sha256, secret_env: HOME}]\n"
                + "subscriptions: {webhooks: [{key: k, endpoint: main, url: \"https://h.example.com/webhooks/main\", "
                + "domain: build, event_types: [uploaded], criteria: {any_build: true}@@}]}\n",
            present: ["key", "endpoint", "url", "domain", "event_types", "criteria"]),
    ]

    static func messages(_ text: String) -> [String] {
        do {
            _ = try DaemonConfig.parse(text: text, file: "/tmp/c.yml", environment: ["HOME": "/root"])
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test(arguments: sites)
    func theReaderReadsEveryKeyTheSchemaLists(_ site: Site) {
        for key in site.mapping.keyNames where !site.present.contains(key) {
            // When
            let messages = Self.messages(site.withKey(key))

            // Then
            #expect(!site.reportsUnknown(key, in: messages), "\(site.name): \(key): \(messages)")
        }
    }

    @Test(arguments: sites)
    func aKeyTheSchemaRefusesTheReaderReports(_ site: Site) throws {
        // Given: a key the schema's mapping does not allow
        let key = "zz_probe"
        #expect(site.mapping.otherKeys == nil && site.mapping.patternKeys.isEmpty)
        // And the site itself reads without that complaint
        #expect(!site.reportsUnknown(key, in: Self.messages(site.file.replacingOccurrences(of: "@@", with: ""))))

        // When
        let messages = Self.messages(site.withKey(key))

        // Then
        #expect(site.reportsUnknown(key, in: messages), "\(site.name): \(messages)")
    }
}

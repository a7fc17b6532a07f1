import ArtifactoryAPI
import Foundation
import HooksDaemon
import Testing

/// `artifactory.platform_url`: where `platform:` calls go.
@Suite("Config: artifactory.platform_url")
struct ConfigPlatformURLTests {
    static func config(_ artifactory: String, environment: [String: String] = [:]) throws -> DaemonConfig {
        let text = """
            artifactory:
              url: https://art.example.com/artifactory
              token_env: TEST_TOKEN
            \(artifactory)
            endpoints:
              - name: m
                auth: none
            """
        return try DaemonConfig.parse(
            text: text, file: "c.yml", environment: environment.merging(["TEST_TOKEN": "t"]) { a, _ in a })
    }

    @Test("unset, the client derives it from url; set in the file or the environment, it is used")
    func setAndDefault() throws {
        let unset = try #require(try Self.config("").artifactory)
        #expect(unset.platformURL == nil)
        #expect(unset.clientConfiguration.platformBaseURL == nil)

        let file = try #require(try Self.config("  platform_url: https://jfrog.example.com").artifactory)
        #expect(file.platformURL?.absoluteString == "https://jfrog.example.com")
        #expect(file.clientConfiguration.platformBaseURL?.absoluteString == "https://jfrog.example.com")

        let environment = try #require(
            try Self.config(
                "  platform_url: https://jfrog.example.com",
                environment: ["ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL": "http://10.0.0.1:8082"]
            ).artifactory)
        #expect(environment.platformURL?.absoluteString == "http://10.0.0.1:8082")
    }

    @Test("a value that is not an http(s) URL with a host is reported at its place or by variable")
    func wrongValues() throws {
        for bad in ["ftp://jfrog.example.com", "jfrog.example.com", "https://"] {
            let error = #expect(throws: (any Error).self) { try Self.config("  platform_url: \(bad)") }
            #expect(
                String(describing: error).contains(
                    "c.yml:4:17: error: artifactory.platform_url: expected an http(s) URL"),
                "\(bad): \(String(describing: error))")
        }
        let error = #expect(throws: (any Error).self) {
            try Self.config("", environment: ["ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL": "nope"])
        }
        #expect(
            String(describing: error).contains(
                "environment variable ARTIFACTORY_HOOKS_ARTIFACTORY_PLATFORM_URL: expected an http(s) URL"))
    }
}

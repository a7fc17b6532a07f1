import ArtifactorySimulator
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The JFrog Platform's services beside `/artifactory`, with the requests JFrog's pages document.
@Suite("The simulator's platform services", .timeLimit(.minutes(1)))
struct PlatformExamplesTests {
    @Test("Distribute Release Bundle Version v2 with the documented sample request")
    func distribute() async throws {
        try await LiveSimulator.run { simulator, client in
            let body = """
                {"auto_create_missing_repositories": "false", "distribution_rules": [{"site_name": "*"}],
                 "modifications": {"mappings": [{"input": "(.*)/(.*)", "output": "$1/mapping/$2"}]}}
                """
            let answer = try await client.execute(
                uri: "/lifecycle/api/v2/distribution/distribute/bundleName/1.0.0?repository_key=release-bundles-v2",
                method: .post, headers: LiveSimulator.headers(contentType: "application/json"),
                body: LiveSimulator.body(body))
            #expect(answer.status == .ok)
            #expect(answer.json["release_bundle_name"] as? String == "bundleName")
            #expect(answer.json["release_bundle_version"] as? String == "1.0.0")
            #expect(answer.json["distribution_id"] is Int)
            let distribution = try #require(simulator.state.distributions.first)
            #expect(distribution.repositoryKey == "release-bundles-v2")
            #expect(distribution.siteNames == ["*"])
            #expect(simulator.state.requests.last?.status == 200)
        }
    }

    @Test(
        "a release bundle name or version outside JFrog's restrictions, or a body that is no object, is a 400",
        arguments: ["/-x/1.0.0", "/a%20b/1.0.0", "/ok/1.0.0%3F"])
    func distributeRefuses(_ suffix: String) async throws {
        try await LiveSimulator.run { _, client in
            let answer = try await client.execute(
                uri: "/lifecycle/api/v2/distribution/distribute" + suffix, method: .post,
                headers: LiveSimulator.headers(contentType: "application/json"), body: LiveSimulator.body("{}"))
            #expect(answer.status == .badRequest)
        }
        try await LiveSimulator.run { _, client in
            let answer = try await client.execute(
                uri: "/lifecycle/api/v2/distribution/distribute/ok/1", method: .post,
                headers: LiveSimulator.headers(contentType: "application/json"), body: LiveSimulator.body("[]"))
            #expect(answer.status == .badRequest)
        }
    }

    @Test("Scan Build: 200 with a summary for a known build, 404 for an unknown one, 400 without a name")
    func scanBuild() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addBuild(name: "docker-build", number: "1")
            func scan(_ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/xray/api/v1/scanBuild", method: .post,
                    headers: LiveSimulator.headers(contentType: "application/json"), body: LiveSimulator.body(body))
            }
            let known = try await scan(#"{"buildName":"docker-build","buildNumber":"1","rescan":true}"#)
            #expect(known.status == .ok)
            let summary = try #require(known.json["summary"] as? [String: Any])
            #expect(summary["total_alerts"] as? Int == 0)
            #expect(summary["fail_build"] as? Bool == false)
            #expect(try await scan(#"{"buildName":"docker-build","buildNumber":"2"}"#).status == .notFound)
            #expect(try await scan(#"{"buildNumber":"1"}"#).status == .badRequest)
        }
    }

    @Test(
        "unknown platform paths are 404, and platform calls need the credential",
        arguments: [
            "/lifecycle/api/v2/nothing", "/xray/api/v2/scanBuild", "/access/api/v1/tokens", "/",
        ])
    func unknownPaths(_ path: String) async throws {
        try await LiveSimulator.run { simulator, client in
            let answer = try await client.execute(uri: path, method: .post, headers: LiveSimulator.headers())
            #expect(answer.status == .notFound)
            let anonymous = try await client.execute(uri: "/xray/api/v1/scanBuild", method: .post)
            #expect(anonymous.status == .unauthorized)
            #expect(simulator.state.requests.map(\.target) == [path, "/xray/api/v1/scanBuild"])
        }
    }
}

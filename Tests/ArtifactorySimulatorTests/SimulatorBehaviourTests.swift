import ArtifactorySimulator
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Simulator behaviour: raw paths, state, request log, faults", .timeLimit(.minutes(1)))
struct SimulatorBehaviourTests {
    @Test("a build named team/app arrives as team%2Fapp and is found as one name")
    func encodedSlashInBuildName() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addBuild(name: "team/app", number: "1.0/7")
            let info = try await client.execute(
                uri: "/artifactory/api/build/team%2Fapp/1.0%2F7", method: .get, headers: LiveSimulator.headers())
            #expect(info.status == .ok)
            #expect((info.json["buildInfo"] as? [String: Any])?["name"] as? String == "team/app")
            #expect((info.json["uri"] as? String)?.hasSuffix("/api/build/team%2Fapp/1.0%2F7") == true)
            let split = try await client.execute(
                uri: "/artifactory/api/build/team/app/1.0%2F7", method: .get, headers: LiveSimulator.headers())
            #expect(split.status == .notFound)
            #expect(
                simulator.state.requests.map(\.target) == [
                    "/artifactory/api/build/team%2Fapp/1.0%2F7", "/artifactory/api/build/team/app/1.0%2F7",
                ])
        }
    }

    @Test("a local repository that does not exist answers 404")
    func missingRepository() async throws {
        try await LiveSimulator.run { _, client in
            let response = try await client.execute(
                uri: "/artifactory/api/storage/nope-local/a.jar?properties=a=b", method: .put,
                headers: LiveSimulator.headers())
            #expect(response.status == .notFound)
            #expect(
                (response.json["errors"] as? [[String: Any]])?.first?["message"] as? String
                    == "Repository nope-local does not exist")
        }
    }

    @Test("a forbidden character in a property key is a 400")
    func forbiddenKey() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a.jar")
            let response = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/a.jar?properties=bad%20key=v", method: .put,
                headers: LiveSimulator.headers())
            #expect(response.status == .badRequest)
        }
    }

    @Test("on a folder, properties apply recursively unless recursive=0")
    func recursiveDefault() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "dir/a.jar")
            _ = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/dir?properties=x=1", method: .put,
                headers: LiveSimulator.headers())
            #expect(simulator.state.item(repo: "libs-release-local", path: "dir/a.jar")?.properties == ["x": ["1"]])
            _ = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/dir?properties=y=2&recursive=0", method: .put,
                headers: LiveSimulator.headers())
            #expect(simulator.state.item(repo: "libs-release-local", path: "dir/a.jar")?.properties == ["x": ["1"]])
            #expect(
                simulator.state.item(repo: "libs-release-local", path: "dir")?.properties == ["x": ["1"], "y": ["2"]])
        }
    }

    @Test("AQL: $match wildcards, $or, property fields, type and limit")
    func aqlVariants() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a/app-1.jar", properties: ["qa": ["done"]])
            try simulator.state.addFile(repo: "libs-release-local", path: "a/app-2.jar")
            try simulator.state.addFile(repo: "ext-releases-local", path: "b/lib.zip")
            func names(_ query: String) async throws -> [String] {
                let response = try await client.execute(
                    uri: "/artifactory/api/search/aql", method: .post, headers: LiveSimulator.headers(),
                    body: LiveSimulator.body(query))
                return (response.json["results"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            #expect(try await names(#"items.find({"name":{"$match":"app-?.jar"}})"#) == ["app-1.jar", "app-2.jar"])
            #expect(
                try await names(#"items.find({"$or":[{"name":"lib.zip"},{"@qa":"done"}]})"#) == [
                    "lib.zip", "app-1.jar",
                ])
            #expect(try await names(#"items.find({"repo":"libs-release-local","type":"folder"})"#) == ["a"])
            #expect(try await names(#"items.find({"path":{"$eq":"a"}}).include("name").limit(1)"#) == ["app-1.jar"])
            let bad = try await client.execute(
                uri: "/artifactory/api/search/aql", method: .post, headers: LiveSimulator.headers(),
                body: LiveSimulator.body("items.find({broken"))
            #expect(bad.status == .badRequest)
        }
    }

    @Test("deploy and repository creation use Artifactory's own calls")
    func deployAndRepositories() async throws {
        try await LiveSimulator.run { simulator, client in
            let create = try await client.execute(
                uri: "/artifactory/api/repositories/new-local", method: .put,
                headers: LiveSimulator.headers(contentType: "application/json"),
                body: LiveSimulator.body(#"{"key":"new-local","rclass":"local","packageType":"generic"}"#))
            #expect(create.status == .ok)
            let deploy = try await client.execute(
                uri: "/artifactory/new-local/dir/file.txt", method: .put, headers: LiveSimulator.headers(),
                body: LiveSimulator.body("hello"))
            #expect(deploy.status == .created)
            #expect(deploy.json["path"] as? String == "/dir/file.txt")
            #expect(simulator.state.item(repo: "new-local", path: "dir/file.txt")?.size == 5)
            #expect(simulator.state.repositoryKeys.contains("new-local"))
        }
    }

    @Test("a path is decoded byte for byte: a name that starts with U+FEFF keeps it")
    func byteOrderMarkInPath() async throws {
        try await LiveSimulator.run { simulator, client in
            let deploy = try await client.execute(
                uri: "/artifactory/libs-release-local/%EF%BB%BFdir/a.txt", method: .put,
                headers: LiveSimulator.headers(), body: LiveSimulator.body("hello"))
            #expect(deploy.status == .created)
            #expect(simulator.state.item(repo: "libs-release-local", path: "\u{FEFF}dir/a.txt")?.size == 5)
            #expect(simulator.state.item(repo: "libs-release-local", path: "dir/a.txt") == nil)
        }
    }

    @Test(
        "a repository key Artifactory refuses is refused on creation",
        arguments: ["api", "ui", "webapp", "list", "favicon.ico", "a%3Ab", "%26", String(repeating: "k", count: 65)])
    func refusedRepositoryKeys(_ key: String) async throws {
        try await LiveSimulator.run { simulator, client in
            let create = try await client.execute(
                uri: "/artifactory/api/repositories/\(key)", method: .put,
                headers: LiveSimulator.headers(contentType: "application/json"),
                body: LiveSimulator.body(#"{"rclass":"local","packageType":"generic"}"#))
            #expect(create.status == .badRequest)
            let message = (create.json["errors"] as? [[String: Any]])?.first?["message"] as? String
            #expect(message?.hasPrefix("error when validating repository name: ") == true)
            #expect(simulator.state.repositoryKeys.allSatisfy { $0.count <= 64 && $0 != "api" })
        }
    }

    @Test("the request log keeps method, raw target, body, content type and status")
    func requestLog() async throws {
        try await LiveSimulator.run { simulator, client in
            _ = try await client.execute(
                uri: "/artifactory/api/search/aql?x=%2F", method: .post,
                headers: LiveSimulator.headers(contentType: "text/plain"), body: LiveSimulator.body("items.find({})"))
            let request = try #require(simulator.state.requests.last)
            #expect(request.method == "POST")
            #expect(request.target == "/artifactory/api/search/aql?x=%2F")
            #expect(request.bodyText == "items.find({})")
            #expect(request.contentType == "text/plain")
            #expect(request.authorizationScheme == "Bearer")
            #expect(request.status == 200)
            simulator.state.clearRequests()
            #expect(simulator.state.requests.isEmpty)
        }
    }

    @Test("faults: N failures then normal answers; 429 carries Retry-After; a drop closes the connection")
    func faults() async throws {
        try await LiveSimulator.run { simulator, client in
            simulator.state.injectFault(.status(503), times: 2)
            simulator.state.injectFault(.tooManyRequests(retryAfter: "7"))
            var statuses: [Int] = []
            for _ in 0..<4 {
                let response = try await client.execute(uri: "/artifactory/api/system/ping", method: .get)
                statuses.append(response.status.code)
                if response.status == .tooManyRequests {
                    #expect(response.headers[.retryAfter] == "7")
                    #expect((response.json["errors"] as? [[String: Any]])?.first?["status"] as? Int == 429)
                }
            }
            #expect(statuses == [503, 503, 429, 200])
            #expect(simulator.state.pendingFaults == 0)

            simulator.state.injectFault(.dropConnection)
            await #expect(throws: (any Error).self) {
                _ = try await client.execute(uri: "/artifactory/api/system/ping", method: .get)
            }
            #expect(simulator.state.requests.last?.fault == .dropConnection)
            #expect(simulator.state.requests.last?.status == nil)
        }
    }

    @Test("a path outside the context path is a 404")
    func outsideContext() async throws {
        try await LiveSimulator.run { _, client in
            let response = try await client.execute(uri: "/other/api/system/ping", method: .get)
            #expect(response.status == .notFound)
        }
    }
}

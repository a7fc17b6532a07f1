import ArtifactoryAPI
import ArtifactoryEvents
import ArtifactoryRequests
import ArtifactorySimulator
import Foundation
import Testing

@Suite("The client against the simulator, over real sockets", .timeLimit(.minutes(1)))
struct ArtifactoryClientTests {
    @Test("ping and version")
    func system() async throws {
        try await SimulatorHarness.run { simulator, client in
            try await client.ping()
            let version = try await client.version()
            #expect(version.version == simulator.configuration.version)
            #expect(!version.addons.isEmpty)
            #expect(simulator.state.requests.map(\.authorizationScheme) == ["Bearer", "Bearer"])
        }
    }

    @Test("hostile property values arrive exactly as given and read back the same")
    func hostileProperties() async throws {
        let values = ["a,b", "c;d", "1=1", "x|y", #"back\slash"#, "with space", "50%", "../up", "a/b", "ünï€", "a+b&c"]
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "com/acme/app 1.0/app.jar")
            try await client.setProperties(
                repo: "libs-release-local", path: "com/acme/app 1.0/app.jar",
                properties: ["hostile": values, "qa": ["done"]])
            let stored = simulator.state.item(repo: "libs-release-local", path: "com/acme/app 1.0/app.jar")
            #expect(stored?.properties == ["hostile": values, "qa": ["done"]])
            let read = try await client.properties(repo: "libs-release-local", path: "com/acme/app 1.0/app.jar")
            #expect(read.properties == ["hostile": values, "qa": ["done"]])
            #expect(read.uri?.hasSuffix("/api/storage/libs-release-local/com/acme/app%201.0/app.jar") == true)
            let some = try await client.properties(
                repo: "libs-release-local", path: "com/acme/app 1.0/app.jar", keys: ["qa"])
            #expect(some.properties == ["qa": ["done"]])
        }
    }

    @Test("recursive set, delete, and the 404 for no properties")
    func recursiveAndDelete() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/a.jar")
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/sub/b.jar")
            try await client.setProperties(
                repo: "libs-release-local", path: "org/acme", properties: ["team": ["payments"]], recursive: true)
            #expect(
                simulator.state.item(repo: "libs-release-local", path: "org/acme/sub/b.jar")?.properties == [
                    "team": ["payments"]
                ])
            try await client.deleteProperties(
                repo: "libs-release-local", path: "org/acme", keys: ["team"], recursive: true)
            #expect(simulator.state.item(repo: "libs-release-local", path: "org/acme/a.jar")?.properties == [:])
            let error = await SimulatorHarness.failure {
                try await client.properties(repo: "libs-release-local", path: "org/acme/a.jar")
            }
            #expect(error?.code == .notFound)
            #expect(error?.messages == ["No properties could be found."])
            #expect(error?.isRetryable == false)
        }
    }

    @Test("a missing item or repository is a permanent 404 with Artifactory's message")
    func notFound() async throws {
        try await SimulatorHarness.run { _, client in
            let item = await SimulatorHarness.failure {
                try await client.setProperties(repo: "libs-release-local", path: "nope.jar", properties: ["a": ["b"]])
            }
            #expect(item?.status == 404)
            #expect(item?.messages == ["Unable to find item"])
            #expect(item?.request == "PUT api/storage/libs-release-local/nope.jar")
            let repo = await SimulatorHarness.failure {
                try await client.setProperties(repo: "no-such-local", path: "a.jar", properties: ["a": ["b"]])
            }
            #expect(repo?.code == .notFound)
        }
    }

    @Test("promotion of a build named team/app arrives as team%2Fapp and appends a status")
    func promotion() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addBuild(
                name: "team/app", number: "7", repo: "libs-release-local", artifacts: ["team/app/7/app.jar"])
            let result = try await client.promoteBuild(
                name: "team/app", number: "7",
                promotion: BuildPromotion(
                    status: "released", comment: "ok", ciUser: "ci", targetRepo: "ext-releases-local", copy: true,
                    properties: ["release": ["r1"]]))
            #expect(result.errors.isEmpty)
            #expect(simulator.state.requests.last?.target == "/artifactory/api/build/promote/team%2Fapp/7")
            let build = try #require(simulator.state.build(name: "team/app", number: "7"))
            #expect(build.statuses.map(\.status) == ["released"])
            #expect(build.statuses.first?.repository == "ext-releases-local")
            #expect(build.statuses.first?.user == "token")
            #expect(build.statuses.first?.timestamp.isEmpty == false)
            let copied = simulator.state.item(repo: "ext-releases-local", path: "team/app/7/app.jar")
            #expect(copied?.properties["release"] == ["r1"])

            let info = try await client.buildInfo(name: "team/app", number: "7")
            #expect(info.name == "team/app")
            #expect(info.number == "7")
            #expect(info.statuses.map(\.status) == ["released"])
            #expect(info.statuses.first?.ciUser == "ci")
            #expect(info.uri?.hasSuffix("/api/build/team%2Fapp/7") == true)
        }
    }

    @Test("the configured project goes with build calls")
    func project() async throws {
        try await SimulatorHarness.run(project: "payments") { simulator, client in
            try simulator.state.addBuild(name: "svc", number: "3", project: "payments")
            let info = try await client.buildInfo(name: "svc", number: "3")
            #expect(info.name == "svc")
            #expect(simulator.state.requests.last?.target == "/artifactory/api/build/svc/3?project=payments")
            _ = try await client.promoteBuild(name: "svc", number: "3", promotion: BuildPromotion(status: "staged"))
            #expect(simulator.state.build(name: "svc", number: "3", project: "payments")?.statuses.count == 1)
            let elsewhere = await SimulatorHarness.failure {
                try await client.buildInfo(name: "svc", number: "3", project: "other")
            }
            #expect(elsewhere?.code == .notFound)
        }
    }

    @Test("copy, move and delete")
    func items() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/a.jar", properties: ["p": ["1"]])
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/sub/b.jar")
            let copy = try await client.copy(
                from: try ItemLocation(repo: "libs-release-local", path: "org/acme"),
                to: try ItemLocation(repo: "ext-releases-local", path: "org/acme-copy"))
            #expect(copy.messages.count == 1)
            #expect(simulator.state.item(repo: "ext-releases-local", path: "org/acme-copy/sub/b.jar") != nil)
            #expect(
                simulator.state.item(repo: "ext-releases-local", path: "org/acme-copy/a.jar")?.properties == [
                    "p": ["1"]
                ])

            _ = try await client.move(
                from: try ItemLocation(repo: "libs-release-local", path: "org/acme/a.jar"),
                to: try ItemLocation(repo: "ext-releases-local", path: "moved/a.jar"))
            #expect(simulator.state.item(repo: "libs-release-local", path: "org/acme/a.jar") == nil)
            #expect(simulator.state.item(repo: "ext-releases-local", path: "moved/a.jar") != nil)

            try await client.deleteItem(try ItemLocation(repo: "ext-releases-local", path: "org/acme-copy"))
            #expect(simulator.state.item(repo: "ext-releases-local", path: "org/acme-copy/sub/b.jar") == nil)

            let missingTarget = await SimulatorHarness.failure {
                try await client.copy(
                    from: try ItemLocation(repo: "libs-release-local", path: "org/acme"),
                    to: try ItemLocation(repo: "no-such-local", path: "x"))
            }
            #expect(missingTarget?.code == .notFound)
        }
    }

    @Test("AQL finds by repo, path and name")
    func aql() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/app-1.0.jar")
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/app-1.0.pom")
            try simulator.state.addFile(repo: "ext-releases-local", path: "org/acme/app-1.0.jar")
            let result = try await client.aql(
                #"items.find({"$and":[{"repo":{"$eq":"libs-release-local"}},{"name":{"$match":"*.jar"}}]})"#)
            #expect(result.itemPaths == ["libs-release-local/org/acme/app-1.0.jar"])
            #expect(result.range.total == 1)
            #expect(result.results.first?["type"]?.stringValue == "file")
            let bad = await SimulatorHarness.failure { try await client.aql("builds.find()") }
            #expect(bad?.code == .badRequest)
        }
    }

    @Test("a planned request is sent exactly as given")
    func plannedRequest() async throws {
        try await SimulatorHarness.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a.jar")
            let planned = ArtifactoryRequest(
                method: .put,
                pathAndQuery: "/api/storage/libs-release-local/a.jar?properties=x=1%5C%2C2;y=z&recursive=0")
            let response = try await client.execute(planned)
            #expect(response.status == 204)
            #expect(
                simulator.state.requests.last?.target
                    == "/artifactory/api/storage/libs-release-local/a.jar?properties=x=1%5C%2C2;y=z&recursive=0")
            #expect(
                simulator.state.item(repo: "libs-release-local", path: "a.jar")?.properties == [
                    "x": ["1,2"], "y": ["z"],
                ])

            let body = try await client.execute(
                ArtifactoryRequest(
                    method: .post, pathAndQuery: "api/search/aql", body: #"items.find({"name":"a.jar"})"#,
                    contentType: "text/plain"))
            #expect(simulator.state.requests.last?.contentType == "text/plain")
            #expect(AQLResult(body: body.body)?.itemPaths == ["libs-release-local/a.jar"])
        }
    }

    @Test("a request timeout longer than nanoseconds can count is clamped, not a crash")
    func hugeTimeout() async throws {
        try await SimulatorHarness.run(requestTimeout: .seconds(Int64.max / 4)) { _, client in
            let answer = try await client.version()
            #expect(!answer.version.isEmpty)
        }
    }

    @Test(
        "no path can send the call to another host",
        arguments: [
            "@evil.example/api/system/ping", "//evil.example/api/system/ping", "\\\\evil.example/x",
            "api/x?u=http://evil.example/",
        ])
    func pathKeepsHost(path: String) async throws {
        try await SimulatorHarness.run { simulator, client in
            _ = await SimulatorHarness.failure {
                try await client.execute(ArtifactoryRequest(method: .get, pathAndQuery: path))
            }
            // It reached the simulator, under the base path (a 404 there is fine).
            #expect(simulator.state.requests.count == 1)
            #expect(simulator.state.requests.last?.target.hasPrefix("/artifactory/") == true)
        }
    }

    @Test(
        "paths with . or .. segments, or a fragment, are refused before anything is sent",
        arguments: ["../x", "api/../../x", "api/%2E%2E/x", "api/./ping", "", "?a=b", "api/ping#x"])
    func refusedPaths(path: String) async throws {
        try await SimulatorHarness.run { simulator, client in
            let error = await SimulatorHarness.failure {
                try await client.execute(ArtifactoryRequest(method: .get, pathAndQuery: path))
            }
            #expect(error?.code == .invalidRequest)
            #expect(error?.isRetryable == false)
            #expect(simulator.state.requests.isEmpty)
        }
    }

    @Test("Basic authentication works; a wrong token is a permanent 401 that never shows the token")
    func authentication() async throws {
        try await SimulatorHarness.run(credential: .basic(user: "ci", password: "pw-SECRET")) { simulator, client in
            _ = try await client.version()
            #expect(simulator.state.requests.last?.authorizationScheme == "Basic")
        }
        try await SimulatorHarness.run(credential: .accessToken("wrong-SECRET-token")) { _, client in
            let error = await SimulatorHarness.failure { try await client.version() }
            #expect(error?.code == .unauthorized)
            #expect(error?.messages == ["Bad credentials"])
            #expect(error?.isRetryable == false)
            for text in [String(describing: error), String(reflecting: error)] {
                #expect(!text.contains("SECRET"))
            }
        }
    }
}

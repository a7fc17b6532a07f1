import ArtifactorySimulator
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Requests and answers taken from JFrog's REST API documentation, sent as the documentation
/// writes them, so the simulator is held to Artifactory's contract rather than to our client.
@Suite("The simulator against JFrog's documented examples", .timeLimit(.minutes(1)))
struct DocumentedExamplesTests {
    static let item = "ch/qos/logback/logback-classic/0.9.9"

    @Test("Set Item Properties: os=win,linux|qa=done&recursive=0 (pipe encoded), then Get Item Properties")
    func setAndGetProperties() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFolder(repo: "libs-release-local", path: Self.item)
            // SwiftNIO's HTTP parser refuses a raw `|` in a request target, so the pipe goes as the
            // documented %7C, which reaches the property parser as `|`.
            let set = try await client.execute(
                uri:
                    "/artifactory/api/storage/libs-release-local/\(Self.item)?properties=os=win,linux%7Cqa=done&recursive=0",
                method: .put, headers: LiveSimulator.headers())
            #expect(set.status == .noContent)
            let get = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/\(Self.item)?properties", method: .get,
                headers: LiveSimulator.headers())
            #expect(get.status == .ok)
            #expect(get.json["properties"] as? [String: [String]] == ["os": ["win", "linux"], "qa": ["done"]])
            let uri = try #require(get.json["uri"] as? String)
            #expect(uri.hasPrefix("http://"))
            #expect(uri.hasSuffix("/artifactory/api/storage/libs-release-local/\(Self.item)"))
        }
    }

    @Test("Set Item Properties with the recommended ; and the encoded pipe %7C")
    func separators() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a.jar")
            for query in ["os=win,linux;qa=done", "os=win,linux%7Cqa=done"] {
                let set = try await client.execute(
                    uri: "/artifactory/api/storage/libs-release-local/a.jar?properties=\(query)&recursive=1",
                    method: .put, headers: LiveSimulator.headers())
                #expect(set.status == .noContent)
                #expect(
                    simulator.state.item(repo: "libs-release-local", path: "a.jar")?.properties
                        == ["os": ["win", "linux"], "qa": ["done"]])
            }
        }
    }

    @Test("An encoded backslash makes a special character literal: a=1%5C=1 sets a to 1=1")
    func escapedEquals() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a.jar")
            let set = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/a.jar?properties=a=1%5C=1", method: .put,
                headers: LiveSimulator.headers())
            #expect(set.status == .noContent)
            #expect(simulator.state.item(repo: "libs-release-local", path: "a.jar")?.properties == ["a": ["1=1"]])
        }
    }

    @Test("Delete Item Properties: properties=os,qa&recursive=0")
    func deleteProperties() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(
                repo: "libs-release-local", path: Self.item + "/x.jar",
                properties: ["os": ["win"], "qa": ["done"], "keep": ["me"]])
            let delete = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/\(Self.item)/x.jar?properties=os,qa&recursive=0",
                method: .delete, headers: LiveSimulator.headers())
            #expect(delete.status == .noContent)
            #expect(
                simulator.state.item(repo: "libs-release-local", path: Self.item + "/x.jar")?.properties
                    == ["keep": ["me"]])
        }
    }

    @Test("Error responses: {\"errors\":[{\"status\":404,\"message\":…}]} for a missing item")
    func errorBody() async throws {
        try await LiveSimulator.run { _, client in
            let response = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/missing.jar?properties", method: .get,
                headers: LiveSimulator.headers())
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/json")
            let errors = try #require(response.json["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["status"] as? Int == 404)
            #expect(errors.first?["message"] as? String == "Unable to find item")
        }
    }

    @Test("Build Promotion with the documented body appends to the build's statuses")
    func promotion() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addBuild(name: "my-build", number: "51")
            let body = """
                {
                 "status": "staged",
                 "comment" : "Tested on all target platforms.",
                 "ciUser": "builder",
                 "timestamp" : "2016-02-11T18:30:24.825+0200",
                 "dryRun" : false,
                 "targetRepo" : "libs-release-local",
                 "copy": false,
                 "artifacts" : true,
                 "dependencies" : false,
                 "scopes" : [ "compile", "runtime" ],
                 "properties": {
                      "components": ["c1","c3","c14"],
                      "release-name": ["fb3-ga"]
                  },
                 "failFast": true
                }
                """
            let promote = try await client.execute(
                uri: "/artifactory/api/build/promote/my-build/51", method: .post,
                headers: LiveSimulator.headers(contentType: "application/json"), body: LiveSimulator.body(body))
            #expect(promote.status == .ok)
            #expect(promote.json["messages"] as? [Any] != nil)

            let info = try await client.execute(
                uri: "/artifactory/api/build/my-build/51", method: .get, headers: LiveSimulator.headers())
            #expect(info.status == .ok)
            #expect((info.json["uri"] as? String)?.hasSuffix("/artifactory/api/build/my-build/51") == true)
            let buildInfo = try #require(info.json["buildInfo"] as? [String: Any])
            #expect(buildInfo["name"] as? String == "my-build")
            let statuses = try #require(buildInfo["statuses"] as? [[String: Any]])
            #expect(statuses.count == 1)
            #expect(statuses[0]["status"] as? String == "staged")
            #expect(statuses[0]["comment"] as? String == "Tested on all target platforms.")
            #expect(statuses[0]["ciUser"] as? String == "builder")
            #expect(statuses[0]["repository"] as? String == "libs-release-local")
            #expect(statuses[0]["timestamp"] as? String == "2016-02-11T18:30:24.825+0200")
        }
    }

    @Test("Build Upload, then Build Info returns the uploaded build info")
    func buildUpload() async throws {
        try await LiveSimulator.run { _, client in
            let build =
                #"{"version":"1.0.1","name":"My-build-name","number":"28","type":"GENERIC","started":"2014-09-30T12:00:19.893+0300","modules":[]}"#
            let upload = try await client.execute(
                uri: "/artifactory/api/build", method: .put,
                headers: LiveSimulator.headers(contentType: "application/json"), body: LiveSimulator.body(build))
            #expect(upload.status == .noContent)
            let info = try await client.execute(
                uri: "/artifactory/api/build/My-build-name/28", method: .get, headers: LiveSimulator.headers())
            let buildInfo = try #require(info.json["buildInfo"] as? [String: Any])
            #expect(buildInfo["started"] as? String == "2014-09-30T12:00:19.893+0300")
            #expect(buildInfo["statuses"] == nil)
        }
    }

    @Test("Move Item dry run: POST /api/move/libs-release-local/org/acme?to=/ext-releases-local/org/acme-new&dry=1")
    func moveDryRun() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/app.jar")
            let move = try await client.execute(
                uri: "/artifactory/api/move/libs-release-local/org/acme?to=/ext-releases-local/org/acme-new&dry=1",
                method: .post, headers: LiveSimulator.headers())
            #expect(move.status == .ok)
            let messages = try #require(move.json["messages"] as? [[String: Any]])
            #expect(messages.first?["level"] as? String == "INFO")
            #expect(simulator.state.item(repo: "libs-release-local", path: "org/acme/app.jar") != nil)
            #expect(simulator.state.item(repo: "ext-releases-local", path: "org/acme-new/app.jar") == nil)
        }
    }

    @Test("Move Item renames when the target does not exist and moves inside when it is a folder")
    func moveSemantics() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "org/acme/app.jar")
            try simulator.state.addFile(repo: "libs-release-local", path: "org/other/lib.jar")
            try simulator.state.addFolder(repo: "ext-releases-local", path: "existing")
            _ = try await client.execute(
                uri: "/artifactory/api/move/libs-release-local/org/acme?to=/ext-releases-local/org/acme-new",
                method: .post, headers: LiveSimulator.headers())
            #expect(simulator.state.item(repo: "ext-releases-local", path: "org/acme-new/app.jar") != nil)
            #expect(simulator.state.item(repo: "libs-release-local", path: "org/acme") == nil)
            _ = try await client.execute(
                uri: "/artifactory/api/copy/libs-release-local/org/other?to=/ext-releases-local/existing",
                method: .post, headers: LiveSimulator.headers())
            #expect(simulator.state.item(repo: "ext-releases-local", path: "existing/other/lib.jar") != nil)
            #expect(simulator.state.item(repo: "libs-release-local", path: "org/other/lib.jar") != nil)
        }
    }

    @Test("AQL: items.find({\"repo\":{\"$eq\":\"libs-release-local\"}}) answers results and range")
    func aql() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(
                repo: "libs-release-local", path: "org/jfrog/artifactory/artifactory.war", size: 75_500_000)
            try simulator.state.addFile(repo: "ext-releases-local", path: "other.jar")
            let search = try await client.execute(
                uri: "/artifactory/api/search/aql", method: .post,
                headers: LiveSimulator.headers(contentType: "text/plain"),
                body: LiveSimulator.body(#"items.find({"repo":{"$eq":"libs-release-local"}})"#))
            #expect(search.status == .ok)
            let results = try #require(search.json["results"] as? [[String: Any]])
            #expect(results.count == 1)
            #expect(results[0]["repo"] as? String == "libs-release-local")
            #expect(results[0]["path"] as? String == "org/jfrog/artifactory")
            #expect(results[0]["name"] as? String == "artifactory.war")
            #expect(results[0]["type"] as? String == "file")
            #expect(results[0]["size"] as? Int == 75_500_000)
            let range = try #require(search.json["range"] as? [String: Any])
            #expect(range["start_pos"] as? Int == 0)
            #expect(range["end_pos"] as? Int == 1)
            #expect(range["total"] as? Int == 1)
        }
    }

    @Test("AQL: the documented comparison of the multi2*.jar artifacts of two maven+example builds")
    func aqlBuildRelation() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addBuild(
                name: "maven+example", number: "317",
                files: [
                    ("libs-release-local", "org/jfrog/test/multi2/3.7/multi2-3.7.jar"),
                    ("libs-release-local", "org/jfrog/test/multi3/3.7/multi3-3.7.jar"),
                ])
            try simulator.state.addBuild(
                name: "maven+example", number: "318",
                files: [("ext-releases-local", "org/jfrog/test/multi2/3.8/multi2-3.8.jar")])
            try simulator.state.addBuild(
                name: "maven+example", number: "319",
                files: [("ext-releases-local", "org/jfrog/test/multi2/3.9/multi2-3.9.jar")])
            let query = """
                items.find(
                    {
                        "name":{"$match":"multi2*.jar"},
                        "$or":[
                            {
                                "$and":[
                                    {"artifact.module.build.name":{"$eq":"maven+example"}},
                                    {"artifact.module.build.number":{"$eq":"317"}}
                                ]
                            },
                            {
                                "$and":[
                                    {"artifact.module.build.name":{"$eq":"maven+example"}},
                                    {"artifact.module.build.number":{"$eq":"318"}}
                                ]
                            }
                        ]
                    }
                ).include("name", "repo", "path", "actual_md5", "actual_sha1", "size", "type")
                """
            let search = try await client.execute(
                uri: "/artifactory/api/search/aql", method: .post,
                headers: LiveSimulator.headers(contentType: "text/plain"), body: LiveSimulator.body(query))
            #expect(search.status == .ok)
            let results = try #require(search.json["results"] as? [[String: Any]])
            #expect(results.compactMap { $0["name"] as? String } == ["multi2-3.8.jar", "multi2-3.7.jar"])
            #expect(Set(results[0].keys) == ["name", "repo", "path", "actual_md5", "actual_sha1", "size", "type"])
            #expect((results[0]["actual_sha1"] as? String)?.count == 40)
            #expect((results[0]["actual_md5"] as? String)?.count == 32)
        }
    }

    @Test("System Health Ping answers OK as text/plain; Version answers version, revision, addons")
    func system() async throws {
        try await LiveSimulator.run { _, client in
            let ping = try await client.execute(uri: "/artifactory/api/system/ping", method: .get)
            #expect(ping.status == .ok)
            #expect(ping.text == "OK")
            #expect(ping.headers[.contentType] == "text/plain")
            let version = try await client.execute(
                uri: "/artifactory/api/system/version", method: .get, headers: LiveSimulator.headers())
            #expect(version.json["version"] as? String == "7.104.5")
            #expect(version.json["revision"] as? String != nil)
            #expect(version.json["addons"] as? [String] != nil)
        }
    }

    @Test("Delete Item: DELETE /artifactory/libs-release-local/ch/qos/logback/logback-classic/0.9.9")
    func deleteItem() async throws {
        try await LiveSimulator.run { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: Self.item + "/logback-classic-0.9.9.jar")
            let delete = try await client.execute(
                uri: "/artifactory/libs-release-local/\(Self.item)", method: .delete, headers: LiveSimulator.headers())
            #expect(delete.status == .noContent)
            #expect(simulator.state.item(repo: "libs-release-local", path: Self.item) == nil)
            #expect(simulator.state.item(repo: "libs-release-local", path: "ch/qos/logback") != nil)
        }
    }

    @Test("401 with the documented body: Bad credentials for a wrong token, Authentication is required for none")
    func unauthorized() async throws {
        try await LiveSimulator.run { _, client in
            let wrong = try await client.execute(
                uri: "/artifactory/api/system/version", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            #expect((wrong.json["errors"] as? [[String: Any]])?.first?["message"] as? String == "Bad credentials")
            #expect((wrong.json["errors"] as? [[String: Any]])?.first?["status"] as? Int == 401)
            #expect(wrong.headers[.wwwAuthenticate] == "Basic realm=\"Artifactory Realm\"")
            let none = try await client.execute(uri: "/artifactory/api/system/version", method: .get)
            #expect(none.status == .unauthorized)
            #expect(
                (none.json["errors"] as? [[String: Any]])?.first?["message"] as? String == "Authentication is required")
        }
    }
}

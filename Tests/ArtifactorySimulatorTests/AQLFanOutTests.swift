import ArtifactorySimulator
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The AQL forms the daemon's `for_each` fan-out sends: the build relation, paging, sorting,
/// `.include`, and the documented 400 for what does not parse.
@Suite("AQL for fan-out: build relation, paging, sort, include, errors", .timeLimit(.minutes(1)))
struct AQLFanOutTests {
    static let repos = ["libs-release-local", "libs-snapshot-local", "ext-releases-local"]

    static func simulator(aqlResultLimit: Int? = nil) -> ArtifactorySimulator {
        ArtifactorySimulator(
            configuration: .init(tokens: [LiveSimulator.token], repositories: repos, aqlResultLimit: aqlResultLimit))
    }

    static func aql(_ client: some TestClientProtocol, _ query: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/artifactory/api/search/aql", method: .post,
            headers: LiveSimulator.headers(contentType: "text/plain"), body: LiveSimulator.body(query))
    }

    static func results(_ response: TestResponse) -> [[String: Any]] {
        response.json["results"] as? [[String: Any]] ?? []
    }

    /// `repo/path/name` of each result.
    static func locations(_ response: TestResponse) -> [String] {
        results(response).map { result in
            let path = result["path"] as? String ?? ""
            return
                "\(result["repo"] as? String ?? "")/\(path == "." ? "" : path + "/")\(result["name"] as? String ?? "")"
        }
    }

    static func range(_ response: TestResponse) -> [String: Int] {
        (response.json["range"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    /// A JSON string literal for `value`, escaped as the daemon's templates escape it.
    static func jsonString(_ value: String) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed]), as: UTF8.self
        )
        .dropFirst().dropLast().description
    }

    @Test("a build with 3 artifacts across 2 repositories is found by the build relation, in every documented form")
    func buildRelation() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            // Given: payments#42 with 3 artifacts in 2 repositories, payments#41 and an unrelated file.
            try simulator.state.addBuild(
                name: "payments", number: "42",
                files: [
                    ("libs-release-local", "com/acme/payments/2.4/payments-2.4.jar"),
                    ("libs-release-local", "com/acme/payments/2.4/payments-2.4.pom"),
                    ("ext-releases-local", "docs/payments-2.4.zip"),
                ])
            try simulator.state.addBuild(
                name: "payments", number: "41", files: [("libs-release-local", "com/acme/payments/2.3/p.jar")])
            try simulator.state.addFile(repo: "libs-release-local", path: "com/acme/other.jar")
            let expected = [
                "ext-releases-local/docs/payments-2.4.zip", "libs-release-local/com/acme/payments/2.4/payments-2.4.jar",
                "libs-release-local/com/acme/payments/2.4/payments-2.4.pom",
            ]
            // When / Then: the short form, $eq, $match, $and lists and separate criteria objects.
            for query in [
                #"items.find({"artifact.module.build.name":"payments","artifact.module.build.number":"42"})"#,
                #"items.find({"artifact.module.build.name":{"$eq":"payments"},"artifact.module.build.number":{"$eq":"42"}})"#,
                #"items.find({"$and":[{"artifact.module.build.name":{"$match":"pay*"}},{"artifact.module.build.number":{"$match":"4?"}},{"artifact.module.build.number":{"$ne":"41"}}]})"#,
                #"items.find({"artifact.module.build.name":"payments"},{"artifact.module.build.number":"42"})"#,
            ] {
                let response = try await Self.aql(client, query)
                #expect(response.status == .ok, "\(query)")
                #expect(Self.locations(response) == expected, "\(query)")
            }
            let oneRepo = try await Self.aql(
                client,
                #"items.find({"$and":[{"repo":"libs-release-local"},{"name":{"$match":"*.jar"}},"#
                    + #"{"$or":[{"artifact.module.build.number":"42"},{"artifact.module.build.number":"41"}]},"#
                    + #"{"artifact.module.build.name":"payments"}]})"#)
            #expect(
                Self.locations(oneRepo) == [
                    "libs-release-local/com/acme/payments/2.3/p.jar",
                    "libs-release-local/com/acme/payments/2.4/payments-2.4.jar",
                ])
            // A name and a number of two different runs do not combine into a match: p.jar is in
            // payments#41 and in billing#42, not in payments#42.
            try simulator.state.addBuild(
                name: "billing", number: "42", files: [("libs-release-local", "com/acme/payments/2.3/p.jar")])
            for query in [
                #"items.find({"artifact.module.build.name":"payments","artifact.module.build.number":"42"})"#,
                #"items.find({"artifact.module.build.name":"payments"},{"artifact.module.build.number":"42"})"#,
                #"items.find({"$and":[{"artifact.module.build.name":"payments"},{"artifact.module.build.number":"42"}]})"#,
            ] {
                #expect(Self.locations(try await Self.aql(client, query)) == expected, "\(query)")
            }
            // The link is the checksum: a copy of an artifact is found in both places.
            _ = try await client.execute(
                uri: "/artifactory/api/copy/ext-releases-local/docs/payments-2.4.zip?to=/libs-snapshot-local/d.zip",
                method: .post, headers: LiveSimulator.headers())
            let afterCopy = try await Self.aql(
                client, #"items.find({"artifact.module.build.name":"payments","artifact.name":"payments-2.4.zip"})"#)
            #expect(
                Self.locations(afterCopy) == ["ext-releases-local/docs/payments-2.4.zip", "libs-snapshot-local/d.zip"])
        }
    }

    @Test("a project's build is found by name and number, and told apart by artifact.module.build.repo")
    func projectBuild() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            try simulator.state.addBuild(
                name: "svc", number: "3", project: "pay", files: [("libs-release-local", "pay/svc-3.jar")])
            try simulator.state.addBuild(name: "svc", number: "3", files: [("libs-release-local", "default/svc-3.jar")])
            // A build uploaded with Build Upload ?project= links by the sha1 its build info lists.
            let deploy = try await client.execute(
                uri: "/artifactory/ext-releases-local/pay/svc-3.zip", method: .put, headers: LiveSimulator.headers(),
                body: LiveSimulator.body("zip bytes"))
            #expect(deploy.status == .created)
            let sha1 = try #require(simulator.state.item(repo: "ext-releases-local", path: "pay/svc-3.zip")?.sha1)
            let upload = try await client.execute(
                uri: "/artifactory/api/build?project=pay", method: .put,
                headers: LiveSimulator.headers(contentType: "application/json"),
                body: LiveSimulator.body(
                    #"{"version":"1.0.1","name":"svc","number":"4","started":"2026-01-01T00:00:00.000+0000","#
                        + #""modules":[{"id":"svc","artifacts":[{"type":"zip","name":"svc-3.zip","sha1":"\#(sha1)"}]}]}"#
                ))
            #expect(upload.status == .noContent)

            let both = try await Self.aql(
                client, #"items.find({"artifact.module.build.name":"svc","artifact.module.build.number":"3"})"#)
            #expect(
                Self.locations(both) == ["libs-release-local/default/svc-3.jar", "libs-release-local/pay/svc-3.jar"])
            let project = try await Self.aql(
                client,
                #"items.find({"artifact.module.build.name":"svc","artifact.module.build.repo":"pay-build-info"})"#)
            #expect(
                Self.locations(project) == ["ext-releases-local/pay/svc-3.zip", "libs-release-local/pay/svc-3.jar"])
            let fallback = try await Self.aql(
                client,
                #"items.find({"artifact.module.build.name":"svc","artifact.module.build.repo":"artifactory-build-info"})"#
            )
            #expect(Self.locations(fallback) == ["libs-release-local/default/svc-3.jar"])
        }
    }

    @Test("paging 25 items by 10 answers 10, 10 and 5 with a range for each page")
    func paging() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            for index in 0..<25 {
                try simulator.state.addFile(repo: "libs-snapshot-local", path: "app/\(1000 + index).jar")
            }
            try simulator.state.addFile(repo: "libs-release-local", path: "app/not-this.jar")
            var seen: [String] = []
            for (offset, count) in [(0, 10), (10, 10), (20, 5), (30, 0)] {
                let response = try await Self.aql(
                    client, #"items.find({"repo":"libs-snapshot-local"}).offset(\#(offset)).limit(10)"#)
                #expect(response.status == .ok)
                #expect(Self.results(response).count == count)
                // Artifactory's range counts this answer: total is the results it holds.
                #expect(
                    Self.range(response) == [
                        "start_pos": offset, "end_pos": offset + count, "total": count, "limit": 10,
                    ])
                seen += Self.locations(response)
            }
            #expect(seen == (0..<25).map { "libs-snapshot-local/app/\(1000 + $0).jar" })
        }
    }

    @Test("sorting by created, newest first, with offset 5 leaves all but the newest 5 (retention)")
    func retention() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            let start = Date(timeIntervalSince1970: 1_750_000_000)
            // Names run against creation order, so a name sort would give a different answer.
            for index in 0..<8 {
                try simulator.state.addFile(
                    repo: "libs-snapshot-local", path: "app/1.0-SNAPSHOT/app-\(100 - index).jar",
                    created: start.addingTimeInterval(Double(index) * 60))
            }
            let response = try await Self.aql(
                client,
                #"items.find({"repo":"libs-snapshot-local","path":"app/1.0-SNAPSHOT","name":{"$match":"app-*.jar"}})"#
                    + #".include("repo","path","name","created").sort({"$desc":["created"]}).offset(5)"#)
            #expect(response.status == .ok)
            #expect(
                Self.results(response).compactMap { $0["name"] as? String } == [
                    "app-98.jar", "app-99.jar", "app-100.jar",
                ])
            let byName = try await Self.aql(
                client, #"items.find({"repo":"libs-snapshot-local"}).sort({"$asc":["name"]}).limit(2)"#)
            #expect(Self.results(byName).compactMap { $0["name"] as? String } == ["app-100.jar", "app-93.jar"])
            let bySize = try await Self.aql(
                client, #"items.find({"name":"app-95.jar"}).sort({"$desc":["size","path"]})"#)
            #expect(bySize.status == .ok)
        }
    }

    @Test("include limits the fields; checksums are those of the content; properties on request")
    func include() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            _ = try await client.execute(
                uri: "/artifactory/libs-release-local/a/hello.txt", method: .put, headers: LiveSimulator.headers(),
                body: LiveSimulator.body("hello"))
            _ = try await client.execute(
                uri: "/artifactory/api/storage/libs-release-local/a/hello.txt?properties=qa=done;os=linux,win",
                method: .put, headers: LiveSimulator.headers())
            let some = try await Self.aql(
                client,
                #"items.find({"name":"hello.txt"}).include("repo","path","name","size","sha256","actual_sha1","actual_md5")"#
            )
            let result = try #require(Self.results(some).first)
            #expect(Set(result.keys) == ["repo", "path", "name", "size", "sha256", "actual_sha1", "actual_md5"])
            #expect(result["sha256"] as? String == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
            #expect(result["actual_sha1"] as? String == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")
            #expect(result["actual_md5"] as? String == "5d41402abc4b2a76b9719d911017c592")
            #expect(result["size"] as? Int == 5)
            let plain = try #require(
                Self.results(try await Self.aql(client, #"items.find({"name":"hello.txt"})"#)).first)
            #expect(
                Set(plain.keys) == [
                    "repo", "path", "name", "type", "size", "created", "created_by", "modified", "modified_by",
                    "updated",
                ])
            let withProperties = try #require(
                Self.results(try await Self.aql(client, #"items.find({"name":"hello.txt"}).include("name","@os")"#))
                    .first)
            #expect(Set(withProperties.keys) == ["name", "properties"])
            let properties = withProperties["properties"] as? [[String: String]]
            #expect(properties == [["key": "os", "value": "linux"], ["key": "os", "value": "win"]])
            let all = try #require(
                Self.results(try await Self.aql(client, #"items.find({"name":"hello.txt"}).include("*","property.*")"#))
                    .first)
            #expect(all["original_sha1"] as? String == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")
            #expect((all["properties"] as? [Any])?.count == 3)
            #expect(all["depth"] as? Int == 2)
        }
    }

    @Test(
        "a file's checksums are SHA-1, SHA-256 and MD5 of its content (known answers across block sizes)",
        arguments: [
            (
                0, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "d41d8cd98f00b204e9800998ecf8427e"
            ),
            (
                55, "aecd1643c9903b9bae8cb94f53c50f8a4e18605b",
                "576a1bf8d4478657e6dc4af9398544765c2a92cde28478b019235cfed315fc09", "8d24280288a696559fd8d5aa1b6d8c6e"
            ),
            (
                56, "f5d65c621c02cc8e785159feff8088e3072da1bc",
                "9b20501dfd1d99161c257950f3444f3e49230c351c5c8e0943ef369f85f5205d", "ef2c72b7254c92459e498eddd4ace573"
            ),
            (
                64, "1e17ae1fc093e5daca033553c97a5192ca164486",
                "d8bc63b4fc1156e5e7d95a418b9bf54cd3174bedbc2db40f74895349b229b3c0", "a2fcb39a253b9b785b1f97518fa37683"
            ),
            (
                1000, "38f3aa587f4aa04965a359f9151092759b3a4c2a",
                "89f4ff56a25dd1db06a4ce6033603775d705fb96f30f8693733fef602a1ca532", "de809ff794e91b68f9e91a2b7030bcb0"
            ),
        ])
    func checksums(_ length: Int, sha1: String, sha256: String, md5: String) throws {
        let state = SimulatorState(repositories: ["r"])
        try state.addFile(repo: "r", path: "f.bin", content: (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let item = try #require(state.item(repo: "r", path: "f.bin"))
        #expect(item.sha1 == sha1)
        #expect(item.sha256 == sha256)
        #expect(item.md5 == md5)
        #expect(item.size == length)
    }

    @Test(
        "a hostile value inside a JSON-escaped criterion is matched literally",
        arguments: [#"pay"ments"#, #"pay\ments"#, #"x"}, {"$or":[{"name":{"$match":"*"}}]}"#, "$or", #"}),.limit(0"#])
    func hostileValue(_ name: String) async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            try simulator.state.addBuild(name: name, number: "1", files: [("libs-release-local", "hostile/a.jar")])
            try simulator.state.addBuild(name: "payments", number: "1", files: [("libs-release-local", "other/b.jar")])
            let query =
                #"items.find({"artifact.module.build.name":\#(try Self.jsonString(name)),"artifact.module.build.number":"1"})"#
            let response = try await Self.aql(client, query)
            #expect(response.status == .ok)
            #expect(Self.locations(response) == ["libs-release-local/hostile/a.jar"])
            let asName = try await Self.aql(client, #"items.find({"name":\#(try Self.jsonString(name))})"#)
            #expect(asName.status == .ok)
            #expect(Self.results(asName).isEmpty)
        }
    }

    @Test(
        "a query AQL cannot parse gets the documented 400 body",
        arguments: [
            "items.find({broken", #"items.find({"name":"a"}"#, #"items.find({"name":"a"}).limit(-1)"#,
            #"items.find({"name":"a"}).limit(x)"#, #"items.find(["name"])"#, #"items.find({"name":"a"}) trailing"#,
            #"items.find().limit(1).limit(2)"#, #"items.find().sort({"$up":["name"]})"#,
            #"items.find().include("name").sort({"$desc":["created"]})"#, #"items.find().frobnicate()"#,
            #"items.find({"size":{"$gt":1}})"#, #"items.find({"no_such_field":"x"})"#, #"builds.find({"name":"a"})"#,
            #"items.find({"name":{"$eq":"a","$ne":"b"}})"#, #"items.find().include("stat.downloads")"#, "",
        ])
    func malformed(_ query: String) async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            try simulator.state.addFile(repo: "libs-release-local", path: "a")
            let response = try await Self.aql(client, query)
            #expect(response.status == .badRequest)
            let error = try #require((response.json["errors"] as? [[String: Any]])?.first)
            #expect(error["status"] as? Int == 400)
            #expect((error["message"] as? String)?.hasPrefix("Failed to parse query") == true)
        }
    }

    @Test("the hard limit trims an answer with the documented notification; a query too long is a 400")
    func limits() async throws {
        try await LiveSimulator.run(Self.simulator(aqlResultLimit: 3)) { simulator, client in
            for index in 0..<5 { try simulator.state.addFile(repo: "libs-release-local", path: "f\(index).bin") }
            let trimmed = try await Self.aql(client, #"items.find({"repo":"libs-release-local"})"#)
            #expect(Self.results(trimmed).count == 3)
            let range = trimmed.json["range"] as? [String: Any]
            #expect(
                range?["notification"] as? String == "AQL query reached the search hard limit, results are trimmed.")
            #expect(range?["limit"] as? Int == 3)
            let small = try await Self.aql(client, #"items.find({"repo":"libs-release-local"}).limit(2)"#)
            #expect((small.json["range"] as? [String: Any])?["notification"] == nil)
            let long = try await Self.aql(
                client, #"items.find({"name":"\#(String(repeating: "x", count: 6000))"})"#)
            #expect(long.status == .badRequest)
        }
    }

    @Test("an injected 429 answers the AQL call, and the next one is answered normally")
    func faults() async throws {
        try await LiveSimulator.run(Self.simulator()) { simulator, client in
            simulator.state.injectFault(.tooManyRequests(retryAfter: "1"))
            let limited = try await Self.aql(client, "items.find()")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            #expect(try await Self.aql(client, "items.find()").status == .ok)
        }
    }

    @Test(
        "--build NAME:NUMBER:REPO/PATH[,REPO/PATH…][:PROJECT] records a build run and its files",
        arguments: [
            ("payments:42:libs-release-local/a/p.jar,ext-releases-local/p.zip", "artifactory-build-info", 2),
            ("svc:7:libs-release-local/s.jar:pay", "pay-build-info", 1),
        ])
    func seed(_ text: String, repository: String, count: Int) async throws {
        let seed = try BuildSeed(parsing: text)
        let simulator = Self.simulator()
        try seed.record(in: simulator.state)
        let build = try #require(simulator.state.build(name: seed.name, number: seed.number, project: seed.project))
        #expect(build.repository == repository)
        #expect(build.artifacts.count == count)
        for file in seed.files {
            let item = try #require(simulator.state.item(repo: file.repo, path: file.path))
            #expect(build.artifacts.contains { $0.isStored(as: item) })
        }
    }

    @Test(
        "a --build value that does not parse is refused",
        arguments: [
            "payments:42", "payments:42:", ":1:r/p", "p:1:repo", "p:1:r/../x", "p:1:r/a,", "p:1:r/a:", "a:b:r/c:d:e",
        ])
    func badSeed(_ text: String) {
        #expect(throws: SimulatorError.self) { try BuildSeed(parsing: text) }
    }
}

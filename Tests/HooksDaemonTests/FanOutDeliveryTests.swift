import ArtifactoryEvents
import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Fan-out: for_each runs an action per found item", .timeLimit(.minutes(1)))
struct FanOutDeliveryTests {
    static let releaseRule = """
        rules:
          - name: release-version
            on: build.promoted
            do:
              - set_properties: { release.version: "{{ data.build_number }}" }
                for_each: build_artifacts
        """

    static func promoted(_ name: String, _ number: String) -> String {
        var data = JSONObjectWriter()
        data.string("build_name", name)
        data.string("build_number", number)
        return #"{"domain":"build","event_type":"promoted","data":"# + data.finished + "}"
    }

    @Test("a promoted build's 3 artifacts in 2 repositories each get the property; other builds' do not")
    func buildArtifactsAcrossRepositories() async throws {
        try await DeliveryHarness.run(rules: Self.releaseRule) { harness, client in
            // Given build payments#42 with two artifacts in one repository and one in another,
            // and an artifact of another run of the same build.
            let state = harness.simulator.state
            try state.addBuild(
                name: "payments", number: "42",
                files: [
                    ("libs-release-local", "pay/42/a.jar"), ("libs-release-local", "pay/42/b.pom"),
                    ("libs-qa-local", "pay/42/c.zip"),
                ])
            try state.addBuild(name: "payments", number: "41", files: [("libs-release-local", "pay/41/a.jar")])

            // When the build is promoted
            let ack = try await harness.post(client, Self.promoted("payments", "42"))
            #expect(ack.planned == 1)
            let jobs = try await harness.waitForJobs(of: ack.event_id)

            // Then one expansion and three children, all under the event, all done…
            #expect(jobs.count == 4)
            #expect(jobs.allSatisfy { $0.state == .done }, "\(jobs.map(\.lastError))")
            #expect(jobs.filter { $0.kind == NewJob.expansionKind }.count == 1)
            #expect(
                Set(jobs.filter { $0.kind == "set_properties" }.map(\.subject)) == [
                    "artifact:libs-release-local/pay/42/a.jar", "artifact:libs-release-local/pay/42/b.pom",
                    "artifact:libs-qa-local/pay/42/c.zip",
                ])
            // …and Artifactory has the property on exactly the build's artifacts.
            for (repo, path) in [
                ("libs-release-local", "pay/42/a.jar"), ("libs-release-local", "pay/42/b.pom"),
                ("libs-qa-local", "pay/42/c.zip"),
            ] {
                #expect(state.item(repo: repo, path: path)?.properties["release.version"] == ["42"], "\(repo)/\(path)")
            }
            #expect(state.item(repo: "libs-release-local", path: "pay/41/a.jar")?.properties["release.version"] == nil)
        }
    }

    @Test("a for_each block runs its actions for each artifact, in order: the copies carry the new property")
    func blockRunsEachActionInOrder() async throws {
        let rules = """
            rules:
              - name: release
                on: build.promoted
                do:
                  - for_each: build_artifacts
                    do:
                      - set_properties: { release.version: "{{ data.build_number }}" }
                      - copy: { to: "libs-final-local/{{ item.path }}" }
            """
        try await DeliveryHarness.run(rules: rules) { harness, client in
            let state = harness.simulator.state
            let files = [
                ("libs-release-local", "pay/42/a.jar"), ("libs-release-local", "pay/42/b.pom"),
                ("libs-qa-local", "pay/42/c.zip"),
            ]
            state.addRepository("libs-final-local")
            try state.addBuild(name: "payments", number: "42", files: files)
            let ack = try await harness.post(client, Self.promoted("payments", "42"))
            #expect(ack.planned == 1)
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            // One expansion and two children per artifact, all done.
            #expect(jobs.count == 7)
            #expect(jobs.allSatisfy { $0.state == .done }, "\(jobs.map(\.lastError))")
            for (repo, path) in files {
                let subject = "artifact:\(repo)/\(path)"
                let kinds = jobs.filter { $0.subject == subject }.sorted { $0.id < $1.id }.map(\.kind)
                #expect(kinds == ["set_properties", "copy"], "\(subject)")
                #expect(state.item(repo: repo, path: path)?.properties["release.version"] == ["42"])
                // The copy ran after the property was set, so it carries it.
                #expect(
                    state.item(repo: "libs-final-local", path: path)?.properties["release.version"] == ["42"],
                    "\(path)")
            }
        }
    }

    @Test(
        "finding more than max_items makes the expansion dead with the count, and nothing is sent",
        arguments: [(found: 25, limit: 10), (found: 25_000, limit: 10_000)])
    func maxItemsStopsARunawayQuery(found: Int, limit: Int) async throws {
        let worker = "backoff_base: 100ms\nmax_fanout_items: \(limit)"
        try await DeliveryHarness.run(rules: Self.releaseRule, worker: worker) { harness, client in
            let state = harness.simulator.state
            try state.addBuild(
                name: "big", number: "1", repo: "libs-release-local", artifacts: (1...found).map { "big/\($0).jar" })
            let ack = try await harness.post(client, Self.promoted("big", "1"))
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            let expansion = try #require(jobs.first)
            #expect(jobs.count == 1)
            #expect(expansion.state == .dead)
            let message = try #require(expansion.lastError)
            #expect(message.contains("found \(found) items"), "\(message)")
            #expect(message.contains("max_items (\(limit))"), "\(message)")
            #expect(message.contains("nothing was sent"), "\(message)")
            // Only the count query reached Artifactory: no property was set.
            #expect(state.requests.allSatisfy { $0.method == "POST" && $0.target.hasSuffix("/api/search/aql") })
            #expect(state.requests.count == 1)
            #expect(state.items(repo: "libs-release-local").allSatisfy { $0.properties["release.version"] == nil })
        }
    }

    @Test(
        "the count reads one result past max_items whatever the limit, and up to ten times it below 100,000",
        arguments: [(1, 10), (10, 100), (10_000, 100_000), (50_000, 100_000), (100_000, 100_001), (500_000, 500_001)])
    func countCap(maxItems: Int, cap: Int) {
        #expect(ExpansionRunner.countCap(maxItems: maxItems) == cap)
    }

    @Test("a query answered 429 or 500 is retried, and the expansion then plans its children once")
    func queryFailuresAreRetried() async throws {
        try await DeliveryHarness.run(rules: Self.releaseRule) { harness, client in
            let state = harness.simulator.state
            try state.addBuild(name: "app", number: "3", repo: "libs-release-local", artifacts: ["app/3/a.jar"])
            state.injectFault(.status(429))
            state.injectFault(.status(500))
            let ack = try await harness.post(client, Self.promoted("app", "3"))
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            #expect(jobs.map(\.state) == [.done, .done])
            let expansion = try #require(jobs.first { $0.kind == NewJob.expansionKind })
            #expect(try await harness.attempts(of: expansion.id).map(\.httpStatus) == [429, 500, 200])
            #expect(state.item(repo: "libs-release-local", path: "app/3/a.jar")?.properties["release.version"] == ["3"])
        }
    }

    @Test(
        "a hostile build name reaches Artifactory as one escaped string: the query keeps its shape",
        arguments: [#"x"}},"$or":[{"repo":{"$match":"*"}}]})"#, #"back\slash"#, #"}"#, #"$or"#])
    func hostileBuildName(_ name: String) async throws {
        try await DeliveryHarness.run(rules: Self.releaseRule) { harness, client in
            let state = harness.simulator.state
            try state.addBuild(name: "other", number: "1", files: [("libs-release-local", "other/x.jar")])
            let ack = try await harness.post(client, Self.promoted(name, "7"))
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            // Nothing of another build was found, so nothing was changed.
            #expect(jobs.map(\.state) == [.done])
            let queries = state.requests.filter { $0.target.hasSuffix("/api/search/aql") }.map(\.bodyText)
            var escaped = ""
            for scalar in name.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { escaped += "\\" }
                escaped.unicodeScalars.append(scalar)
            }
            let criteria =
                #"items.find({"artifact.module.build.name":{"$eq":""# + escaped
                + #""},"artifact.module.build.number":{"$eq":"7"}})"#
            #expect(
                queries == [
                    criteria + #".include("repo","path","name").offset(0).limit(100000)"#,
                    criteria + ".include(" + ExpansionRunnerFields.page + ").offset(0).limit(500)",
                ], "\(queries)")
            #expect(state.item(repo: "libs-release-local", path: "other/x.jar")?.properties["release.version"] == nil)
        }
    }
}

/// The fields every page query names, as the worker writes them.
enum ExpansionRunnerFields {
    static let page = [
        "repo", "path", "name", "type", "size", "created", "created_by", "modified", "modified_by", "updated",
        "sha256", "actual_sha1", "actual_md5", "depth",
    ].map { "\"\($0)\"" }.joined(separator: ",")
}

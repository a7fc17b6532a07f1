import ArtifactoryEvents
import ArtifactoryRequests
import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Delivery: artifactory: and platform: calls", .timeLimit(.minutes(1)))
struct GenericCallDeliveryTests {
    static func bundleCompleted(_ name: String, version: String = "2.4.1") -> String {
        var quoted = ""
        JSONObjectWriter.appendQuoted(name, to: &quoted)
        return #"{"domain":"release_bundle_v2","event_type":"release_bundle_v2_completed","data":{"#
            + #""repository_key":"release-bundles-v2","release_bundle_name":\#(quoted),"#
            + #""release_bundle_version":"\#(version)"}}"#
    }

    static let calls = """
        rules:
          - name: distribute
            on: release_bundle_v2.release_bundle_v2_completed
            do:
              - platform:
                  method: POST
                  path: "lifecycle/api/v2/distribution/distribute/{{ data.release_bundle_name }}/{{ data.release_bundle_version }}"
                  query: { repository_key: "{{ data.repository_key }}" }
                  body:
                    auto_create_missing_repositories: false
                    distribution_rules: [ { site_name: "*" } ]
              - artifactory:
                  method: POST
                  path: api/search/aql
                  body: 'items.find({"repo":"{{ data.repository_key }}"})'
          - name: scan
            on: build.uploaded
            do:
              - platform:
                  method: POST
                  path: xray/api/v1/scanBuild
                  body: { buildName: "{{ data.build_name }}", buildNumber: "{{ data.build_number }}" }

        """

    @Test("an artifactory: call and a platform: call reach their base with the exact path, query and body")
    func exactRequests() async throws {
        try await DeliveryHarness.run(rules: Self.calls) { harness, client in
            try harness.simulator.state.addBuild(name: "payments", number: "7")
            let ack = try await harness.post(client, Self.bundleCompleted("payments-release"))
            #expect(ack.planned == 2)
            #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.done, .done])
            let build = try await harness.post(
                client,
                #"{"domain":"build","event_type":"uploaded","data":{"build_name":"payments","build_number":"7"}}"#)
            #expect(try await harness.waitForJobs(of: build.event_id).map(\.state) == [.done])

            let requests = harness.simulator.state.requests
            try #require(requests.count == 3)
            #expect(requests[0].method == "POST")
            #expect(
                requests[0].target
                    == "/lifecycle/api/v2/distribution/distribute/payments-release/2.4.1?repository_key=release-bundles-v2"
            )
            #expect(
                requests[0].bodyText
                    == #"{"auto_create_missing_repositories":false,"distribution_rules":[{"site_name":"*"}]}"#)
            #expect(requests[0].contentType == "application/json")
            #expect(requests[0].status == 200)
            #expect(requests[0].authorizationScheme == "Bearer")
            #expect(requests[1].target == "/artifactory/api/search/aql")
            #expect(requests[1].bodyText == #"items.find({"repo":"release-bundles-v2"})"#)
            #expect(requests[1].contentType == "text/plain")
            #expect(requests[1].status == 200)
            #expect(requests[2].target == "/xray/api/v1/scanBuild")
            #expect(requests[2].bodyText == #"{"buildName":"payments","buildNumber":"7"}"#)
            #expect(requests[2].status == 200)

            let distribution = try #require(harness.simulator.state.distributions.first)
            #expect(distribution.name == "payments-release")
            #expect(distribution.version == "2.4.1")
            #expect(distribution.repositoryKey == "release-bundles-v2")
            #expect(distribution.siteNames == ["*"])
        }
    }

    static let echo = """
        rules:
          - name: echo
            on: release_bundle_v2.release_bundle_v2_completed
            do:
              - artifactory:
                  method: PUT
                  path: "api/hooks-test/{{ data.release_bundle_name }}/end"
                  query: { q: "{{ data.release_bundle_name }}", fixed: "1" }
                  body: { name: "{{ data.release_bundle_name }}", fixed: true }

        """

    @Test("a hostile event field cannot change the host, the path's shape or the body's structure")
    func hostileFields() async throws {
        let sent = ["%2e%2e", "?x=", "#", "a\"b\nc}", "@evil.example.com", "%2F..%2F"]
        let refused = ["../", "..", "//evil.example.com", "a/b"]
        try await DeliveryHarness.run(rules: Self.echo) { harness, client in
            for value in sent {
                let ack = try await harness.post(client, Self.bundleCompleted(value))
                #expect(ack.planned == 1)
                // The simulator has no api/hooks-test: 404, so the job is dead; what matters is
                // what reached it.
                #expect(try await harness.waitForJobs(of: ack.event_id).map(\.state) == [.dead])
            }
            for value in refused {
                let ack = try await harness.post(client, Self.bundleCompleted(value))
                #expect(ack.planned == 0, "\(value) planned a call")
            }
            let requests = harness.simulator.state.requests
            #expect(requests.count == sent.count)
            for (value, request) in zip(sent, requests) {
                let encoded = URLEncoding.percentEncode(value)
                #expect(request.target == "/artifactory/api/hooks-test/\(encoded)/end?q=\(encoded)&fixed=1")
                let body = try JSONParser.parse(request.body)
                #expect(body.objectValue?.keys.sorted() == ["fixed", "name"])
                #expect(body["name"] == .string(value))
                #expect(body["fixed"] == .bool(true))
                #expect(request.status == 404)
            }
        }
    }

    @Test("a platform: call is retried after a 500 and is a dead letter after a 404")
    func retriesAndDeadLetters() async throws {
        let rules = """
            rules:
              - name: distribute
                on: release_bundle_v2.release_bundle_v2_completed
                do:
                  - platform:
                      method: POST
                      path: "lifecycle/api/v2/distribution/distribute/{{ data.release_bundle_name }}/1"
                      body: { distribution_rules: [ { site_name: "*" } ] }
              - name: nowhere
                on: release_bundle_v2.release_bundle_v2_failed
                do:
                  - platform: { method: DELETE, path: "lifecycle/api/v2/no-such-call/{{ data.release_bundle_name }}" }

            """
        try await DeliveryHarness.run(rules: rules, worker: "backoff_base: 50ms") { harness, client in
            harness.simulator.state.injectFault(.status(500), times: 1)
            let ack = try await harness.post(client, Self.bundleCompleted("payments"))
            let job = try #require(try await harness.waitForJobs(of: ack.event_id).first)
            #expect(job.state == .done)
            #expect(try await harness.attempts(of: job.id).map(\.httpStatus) == [500, 200])

            let failed = try await harness.post(
                client, Self.bundleCompleted("payments").replacingOccurrences(of: "_completed", with: "_failed"))
            let dead = try #require(try await harness.waitForJobs(of: failed.event_id).first)
            #expect(dead.state == .dead)
            #expect(dead.attemptCount == 1)
            #expect(try await harness.attempts(of: dead.id).map(\.httpStatus) == [404])
            #expect(harness.simulator.state.requests.last?.target == "/lifecycle/api/v2/no-such-call/payments")
        }
    }
}

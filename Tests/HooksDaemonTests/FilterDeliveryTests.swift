import ArtifactorySimulator
import Foundation
import HooksDaemon
import Storage
import Testing

@Suite("Delivery: filtered templates and captures reach Artifactory", .timeLimit(.minutes(1)))
struct FilterDeliveryTests {
    /// "Tag the folder a file was deployed into", with the version the file's name carries.
    static let tagFolder = #"""
        rules:
          - name: tag-release-folder
            on: artifact.deployed
            when: { repo: libs-release-local, name: { matches: '^app-(?<version>[0-9.]+)\.jar$' } }
            do:
              - set_properties: { release.version: "{{ match.version }}", release.app: '{{ data.name | strip_suffix: ".jar" | upper }}' }
                path: "{{ data.path | dirname }}"
        """#

    @Test("a deploy tags its parent folder with the version its name carries")
    func deployTagsTheParentFolder() async throws {
        let path = "libs/com/acme/app/1.0/app-1.0.jar"
        try await DeliveryHarness.run(rules: Self.tagFolder, files: [path]) { harness, client in
            let body =
                #"{"domain":"artifact","event_type":"deployed","data":{"repo_key":"libs-release-local","path":"\#(path)","name":"app-1.0.jar","size":5}}"#
            let ack = try await harness.post(client, body)
            #expect(ack.planned == 1)
            let jobs = try await harness.waitForJobs(of: ack.event_id)
            #expect(jobs.map(\.state) == [.done])
            let folder = try #require(
                harness.simulator.state.item(repo: "libs-release-local", path: "libs/com/acme/app/1.0"))
            #expect(folder.isFolder)
            #expect(folder.properties["release.version"] == ["1.0"])
            #expect(folder.properties["release.app"] == ["APP-1.0"])
            // The file itself is left alone.
            let file = try #require(harness.simulator.state.item(repo: "libs-release-local", path: path))
            #expect(file.properties["release.version"] == nil)
        }
    }
}

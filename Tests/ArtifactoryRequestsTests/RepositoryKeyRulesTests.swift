import ArtifactoryRequests
import Testing

/// `RepositoryKey.init` is the one check of a repository key: Artifactory's naming rules and the
/// paths it serves at its root, for every location a request names, the target of a copy included.
struct RepositoryKeyRulesTests {
    @Test(arguments: [
        (
            "api",
            #"Artifactory serves "api" at the root of its URL itself, so a request under it would not reach a repository"#
        ),
        (
            "Favicon.ICO",
            #"Artifactory serves "Favicon.ICO" at the root of its URL itself, so a request under it would not reach a repository"#
        ),
        ("&", #"Artifactory forbids "&" as a repository key"#),
        ("a:b", #"it contains ":", which Artifactory forbids in repository keys"#),
        ("a\\b", #"it contains "\", which Artifactory forbids in repository keys"#),
        ("libs\u{1B}[31m", "it contains a control character"),
        ("libs\u{85}", "it contains a control character"),
        (String(repeating: "k", count: 65), "it is 65 characters long; Artifactory's limit is 64"),
        (String(repeating: "é", count: 65), "it is 65 characters long; Artifactory's limit is 64"),
    ])
    func keysArtifactoryRefusesAreRefusedWithTheirReason(key: String, reason: String) {
        #expect(RepositoryKey.problem(key) == reason)
        #expect(throws: ArtifactoryRequestError(.invalidRepository, text: key, reason: reason)) {
            try RepositoryKey(key)
        }
    }

    @Test(arguments: [
        "libs-release-local", "docker-remote-cache", "artifactory-build-info", "a", "apis", "my.api", "ui-local",
        String(repeating: "é", count: 64),
    ])
    func keysArtifactoryAcceptsPass(key: String) throws {
        #expect(try RepositoryKey(key).text == key)
    }

    @Test func aTargetPathsFirstSegmentIsCheckedAsAKey() throws {
        #expect(throws: ArtifactoryRequestError.self) {
            try ItemLocation(repositoryPath: ItemPath("api/security/users"))
        }
        #expect(throws: ArtifactoryRequestError.self) { try ItemLocation(repo: "UI", path: "a.jar") }
        let error = #expect(throws: ArtifactoryRequestError.self) {
            try ItemLocation(repositoryPath: ItemPath("webapp"))
        }
        #expect(
            error?.description
                == #""webapp" is not a repository key: Artifactory serves "webapp" at the root of its URL itself, "#
                + "so a request under it would not reach a repository")
        #expect(try ItemLocation(repositoryPath: ItemPath("libs-qa-local/api/x")).repo.text == "libs-qa-local")
    }
}

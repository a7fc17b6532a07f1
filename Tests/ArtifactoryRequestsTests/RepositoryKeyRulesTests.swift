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
        ("\u{9F}libs", "it contains a control character"),
        ("libs\u{7F}", "it contains a control character"),
        (".", #"Artifactory forbids "." as a repository key"#),
        ("..", #"Artifactory forbids ".." as a repository key"#),
        ("é|x", #"it contains "|", which Artifactory forbids in repository keys"#),
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
        String(repeating: "é", count: 64), "libs\u{A0}local", "\u{100}-repo", "...",
    ])
    func keysArtifactoryAcceptsPass(key: String) throws {
        #expect(try RepositoryKey(key).text == key)
    }

    @Test("every ASCII character is refused exactly when it is one of forbiddenCharacters")
    func forbiddenCharactersAreThoseOfTheList() {
        for value in UInt8(0x20)..<0x7F {
            let character = Unicode.Scalar(value)
            let reason = RepositoryKey.problem("a\(character)b")
            let refused = reason?.hasPrefix("it contains \"\(character)\"") == true
            #expect(refused == RepositoryKey.forbiddenCharacters.contains(character), "\(character): \(reason ?? "")")
        }
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
